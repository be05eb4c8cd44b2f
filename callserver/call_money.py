"""A call's pay-per-call money, fixed when it ends from the config in force then, so a later
edit of a price never rewrites what past calls earned.

`revenue` is what the answered target (a buyer) pays: its `revenue.per_converted_call` when
the call converted, 0 when it did not; `payout` is what the network owes the call's publisher:
its `payout.per_converted_call` when converted, else 0. Each is None where no price applies
(no answered target with a revenue, no publisher with a payout), and for a test call, which
nobody pays for. Conversion is read after the repeat-caller rule, so a repeat earns nothing.
"""

from __future__ import annotations

from dataclasses import replace

from callserver.config.schema.money import Payout, Revenue
from callserver.config.schema.root import Config
from callserver.store.call_values import Call, CallEnd


def with_money(model: Config, call: Call, end: CallEnd) -> CallEnd:
    """`end` with the revenue and payout `call` earned by it."""
    if call.test:
        return end
    target = model.targets.get(end.answered_target) if end.answered_target else None
    partner = model.publishers.get(call.publisher) if call.publisher else None
    return replace(end, revenue=_earned(target.revenue if target else None, end.converted),
                   payout=_earned(partner.payout if partner else None, end.converted))


def _earned(price: Revenue | Payout | None, converted: bool) -> float | None:
    if price is None:
        return None
    return price.per_converted_call if converted else 0.0
