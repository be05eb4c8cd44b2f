"""Which web session a call belongs to: the decision the call edge takes when a call starts.

A pool number attributes its call to the session that held its lease at the call's instant, or
whose lease ended no longer than `grace` before it (the visitor read the number, then dialled).
A static number attributes it to its own source. A session that began more than the merge
window (seed 003: 30 minutes) before the call stays attributed but unmerged: CRM hand-offs
record the call as its own touch, without the web session's data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from callserver.config.resolve import NumberView

MERGE_WINDOW = timedelta(minutes=30)


@dataclass(frozen=True)
class Touch:
    """A session that held a pool number, with the span of that lease."""

    session_id: str
    source: str | None
    first_seen: datetime
    leased_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Attribution:
    campaign: str
    source: str | None
    session_id: str | None
    merged: bool
    reason: str


def lease_holder(touches: Sequence[Touch], at: datetime, grace: timedelta) -> Touch | None:
    """The lease live at `at`, else the one that ended most recently within `grace`."""
    live = [t for t in touches if t.leased_at <= at < t.expires_at]
    if live:
        return max(live, key=lambda t: t.leased_at)
    ended = [t for t in touches if t.expires_at <= at < t.expires_at + grace]
    return max(ended, key=lambda t: t.expires_at, default=None)


def attribute(view: NumberView, touches: Sequence[Touch], at: datetime, grace: timedelta,
              merge_window: timedelta = MERGE_WINDOW) -> Attribution:
    if view.role == "static":
        return Attribution(view.campaign, view.source, None, False,
                           f"static number of source {view.source or '(none)'}")
    if view.role == "fallback":
        return Attribution(view.campaign, None, None, False,
                           "fallback number: shown to every visitor the pool could not serve")
    holder = lease_holder(touches, at, grace)
    if holder is None:
        return Attribution(view.campaign, None, None, False,
                           "pool number held by no session at the call")
    reason = ("leased to the session at the call" if at < holder.expires_at else
              f"lease ended {(at - holder.expires_at).total_seconds():.0f} s before the call, "
              "within grace")
    age = at - holder.first_seen
    merged = age <= merge_window
    if not merged:
        reason += (f"; session began {age.total_seconds() / 60:.0f} min before the call: "
                   "a separate, unmerged touch")
    return Attribution(view.campaign, holder.source, holder.session_id, merged, reason)
