"""The number's settings as they apply to one call once it is attributed: a pool number has no
source of its own, so a call the swap credits to a visit's source takes that source and its
tags here, and what the visit's landing URL carried in the campaign's `capture_params`, before
routing, conversion and webhooks read them.

Tags stack as a static number's do (`config.resolve`): the file's, then the source's, then
the pool's own, then its `sub_id`; then what the visit captured, the most specific of all. A
captured `publisher` counts only when the file defines it and the pool names none: a pool
assigned to a partner stays that partner's, whatever a link says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from callserver.config.resolve import NumberView, ResolvedConfig

_TAG = "tags."


def credited(config: ResolvedConfig, view: NumberView, source: str | None,
             captured: Mapping[str, str]) -> NumberView:
    if (source is None or source == view.source) and not captured:
        return view
    model = config.model
    source = source or view.source
    tags = dict(view.tags)
    if source != view.source:
        known = model.sources.get(source or "")
        pool = model.campaigns[view.campaign].pools.get(view.pool or "")
        tags = {**model.tags, **(known.tags if known else {}), **(pool.tags if pool else {}),
                **({"sub_id": view.sub_id} if view.sub_id is not None else {})}
    tags.update((to.removeprefix(_TAG), value) for to, value in captured.items()
                if to.startswith(_TAG))
    sub_id = captured.get("sub_id", view.sub_id)
    if sub_id is not None:
        tags["sub_id"] = sub_id
    publisher = view.publisher
    if publisher is None and captured.get("publisher") in model.publishers:
        publisher = captured["publisher"]
    return replace(view, source=source, tags=MappingProxyType(tags), sub_id=sub_id,
                   publisher=publisher)
