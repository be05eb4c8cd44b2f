-- A caller's earlier calls, for conversion.repeat_within_days (pay-per-call's duplicate rule).
CREATE INDEX calls_by_caller ON calls (caller, started_at);
