-- Pay-per-call money on the call, as configured when it ended: `revenue` is what the answered
-- target (a buyer) pays for it (its revenue.per_converted_call when the call converted, else
-- 0), `payout` what the network owes the call's publisher (its payout.per_converted_call when
-- converted, else 0). NULL when no such price applied (no answered target with a revenue, no
-- publisher with a payout), and for calls before this upgrade.
ALTER TABLE calls ADD COLUMN revenue REAL;
ALTER TABLE calls ADD COLUMN payout REAL;
