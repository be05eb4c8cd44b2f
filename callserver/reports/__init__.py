"""Reporting over the `calls` table: filtered call lists with cursor pagination, aggregates with
spend, and the publisher scope that confines a publisher's token to its own calls.

Query building and arithmetic are pure (`filters`, `cursor`, `groups`, `local_sql`, `totals`,
`records`); `listing` and `summary` are the store-side functions a handler runs in one hop.

Spend (ROI). Each call of a source costs what the source's `cost` says, as configured during
the call's local month (`cost_history`: a budget changed now leaves past months alone):
- `per_call: X` — every call of the source costs X, whatever its outcome;
- `monthly_budget: Y` — Y is spread evenly over all of the source's calls in that calendar
  month (in the config's `timezone`), counting every call of the source, not only the calls a
  report's filters select. A month still under way spreads the whole budget over the calls so
  far; a month with no calls from the source shows no spend, there being no call to carry it.
A source with both pays both. Calls without a source, or whose source sets no cost, cost 0.
Cost per call is spend / calls; cost per converted call is spend / converted calls (null when
none converted). A publisher's token sees no spend (null): a monthly budget spread over every
call of a source would reveal how many calls other publishers sent.

Money (pay per call). `revenue` and `payout` sum what each call recorded when it ended
(`callserver.call_money`: a buyer's price for a converted call it answered, a publisher's for
a converted call credited to it); `margin` is revenue - payout - spend, what the network keeps.
A publisher's token sees its payout, and no revenue or margin (null): the network's money.
"""
