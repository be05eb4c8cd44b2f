"""Should this node publish its config digest, reload its file, or do nothing? Pure.

A node publishes after a reload of its own (SIGHUP, the admin API): its loaded digest then
differs from the one it last agreed with the cluster on. It reloads when the cluster's digest
differs from its own, and a file that reloads to something else (not deployed yet, or not
valid) is tried again only after `retry_after`: followers never publish, so two nodes with
different files cannot chase each other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum


class Action(Enum):
    NOTHING = "nothing"
    PUBLISH = "publish"
    RELOAD = "reload"


@dataclass(frozen=True)
class FollowState:
    """`known`: the digest this node last published or followed to; `tried`: the cluster's
    digest it last reloaded for, at `tried_at`."""

    known: str
    tried: str | None = None
    tried_at: datetime | None = None


def decide(state: FollowState, own: str, shared: str | None, now: datetime,
           retry_after: timedelta) -> Action:
    if own != state.known:
        return Action.PUBLISH
    if shared is None or shared == own:
        return Action.NOTHING
    if state.tried == shared and state.tried_at is not None and now - state.tried_at < retry_after:
        return Action.NOTHING
    return Action.RELOAD


def after_publish(state: FollowState, own: str) -> FollowState:
    return replace(state, known=own)


def after_reload(own: str, shared: str, now: datetime) -> FollowState:
    """`own` is the digest the node runs after the reload: the cluster's, or still its old one."""
    return FollowState(known=own, tried=shared, tried_at=now)
