"""The facts about one call that routing rules may look at, fixed when routing begins."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from callserver.config.phone import to_e164
from callserver.config.resolve import NumberView
from callserver.config.schema.routing import TargetRef
from callserver.ivr.actions import Done


@dataclass(frozen=True)
class CallContext:
    """`number` is the dialled tracking number, of `campaign`; `tags` are the number's plus
    the IVR's.

    `ivr_targets` is the caller's own choice in the IVR: it replaces the targets and wins
    over `rules`, since the caller asked for it. `now` is the instant routing decides for.
    """

    call_id: str
    number: str
    campaign: str
    caller: str
    tags: Mapping[str, str]
    digits: str
    source: str | None
    publisher: str | None
    sub_id: str | None
    now: datetime
    ivr_targets: tuple[TargetRef, ...] | None = field(default=None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", MappingProxyType(dict(self.tags)))


def context_for(view: NumberView, *, call_id: str, caller: str, now: datetime,
                ivr: Done | None = None) -> CallContext:
    """The context of a call to `view`'s number, after the IVR (if any) has finished."""
    return CallContext(
        call_id=call_id, number=view.number, campaign=view.campaign,
        caller=normal_number(caller),
        tags={**view.tags, **(ivr.tags if ivr else {})},
        digits="".join(ivr.path) if ivr else "", source=view.source,
        publisher=view.publisher, sub_id=view.sub_id, now=now,
        ivr_targets=ivr.targets if ivr else None)


def normal_number(text: str) -> str:
    """E.164 when `text` is a phone number, else `text` itself ("anonymous", "")."""
    try:
        return to_e164(text)
    except ValueError:
        return text
