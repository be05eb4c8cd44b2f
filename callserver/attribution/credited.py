"""The number's settings as they apply to one call once it is attributed: a pool number has no
source of its own, so a call the swap credits to a visit's source takes that source and its
tags here, before routing, conversion and webhooks read them.

Tags stack as a static number's do (`config.resolve`): the file's, then the source's, then
the pool's own, so what the pool says wins, and its `sub_id` last.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from callserver.config.resolve import NumberView, ResolvedConfig


def credited(config: ResolvedConfig, view: NumberView, source: str | None) -> NumberView:
    if source is None or source == view.source:
        return view
    model = config.model
    known = model.sources.get(source)
    pool = model.campaigns[view.campaign].pools.get(view.pool or "")
    tags = {**model.tags, **(known.tags if known else {}), **(pool.tags if pool else {}),
            **({"sub_id": view.sub_id} if view.sub_id is not None else {})}
    return replace(view, source=source, tags=MappingProxyType(tags))
