-- Mirror of migrations/0019_call_money.sql: the revenue and payout a call earned, as
-- configured when it ended; NULL where no price applied.
ALTER TABLE calls ADD COLUMN revenue DOUBLE PRECISION;
ALTER TABLE calls ADD COLUMN payout DOUBLE PRECISION;
