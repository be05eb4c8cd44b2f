"""The written account of one call: every decision with its reason, as JSON-ready values.

`callserver simulate` prints it, and the call record keeps it, so an admin can always ask
"why did this call go there?" and get the answer the flow acted on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from callserver.channel import DialResult
from callserver.config.resolve import NumberView
from callserver.hours.caps import CapCheck
from callserver.hours.schedule import OpenState
from callserver.ivr import Done
from callserver.routing import DialPlan


@dataclass(frozen=True)
class CallResult:
    """What the flow did: the outcome, its trace, and what the call record needs;
    `voicemail` is the message file the caller left, if the call ended in one."""

    outcome: str
    trace: dict[str, Any]
    ivr_path: tuple[str, ...]
    tags: Mapping[str, str]
    answered_target: str | None
    talk_seconds: float
    voicemail: str | None = None


def _iso(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at is not None else None


class Trace:
    """Filled in step by step by the flow; `step` names where the call is right now."""

    def __init__(self, view: NumberView, caller: str, now: datetime) -> None:
        self.step = "start"
        self._tags: Mapping[str, str] = view.tags
        self._path: tuple[str, ...] = ()
        self._answered: str | None = None
        self._talk = 0.0
        self.data: dict[str, Any] = {
            "number": view.number, "caller": caller, "at": _iso(now),
            "campaign": view.campaign, "source": view.source, "publisher": view.publisher,
            "pool": view.pool, "sub_id": view.sub_id, "tags": dict(view.tags),
            "unlocked": sorted(view.unlocked),
            "hours": {"open": True, "reason": "no schedule: always open", "next_open": None},
            "caps": [], "ivr": None, "plan": None, "attempts": [], "prompts": [],
            "outcome": None, "reason": None,
        }

    def hours(self, state: OpenState | None) -> None:
        if state is not None:
            self.data["hours"] = {"open": state.open, "reason": state.reason,
                                  "next_open": _iso(state.next_open)}

    def caps(self, checks: Iterable[CapCheck]) -> None:
        self.data["caps"].extend(_check(c) for c in checks)

    def played(self, name: str, role: str) -> None:
        self.data["prompts"].append({"prompt": name, "role": role})

    def keys(self, keys: str | None) -> None:
        self.data.setdefault("keys", []).append(keys)

    def ivr(self, done: Done) -> None:
        self._path = done.path
        self._tags = {**self._tags, **done.tags}
        self.data["ivr"] = {"path": list(done.path), "tags": dict(done.tags),
                            "targets": [t.target for t in done.targets]
                            if done.targets is not None else None,
                            "reason": done.reason}
        self.data["tags"] = dict(self._tags)

    def plan(self, plan: DialPlan | None) -> None:
        if plan is None:
            return
        self.data["caps"].extend(_check(c) for c in plan.checks)
        self.data["plan"] = {
            "strategy": plan.strategy, "rule": plan.rule, "rule_reason": plan.rule_reason,
            "targets": [name for a in plan.attempts for name in a.targets],
            "attempts": [{"targets": list(a.targets), "dial": list(a.dial),
                          "ring_timeout": a.ring_timeout, "reason": a.reason}
                         for a in plan.attempts],
            "ring_timeout": plan.attempts[0].ring_timeout if plan.attempts else None,
            "skipped": [{"target": s.target, "reason": s.reason} for s in plan.skipped],
            "rotation": {"list": plan.turn.key, "turn": plan.turn.turn,
                         "next": plan.turn.next}
            if plan.turn is not None else None,
            "reasons": list(plan.reasons),
        }

    def attempt(self, targets: tuple[str, ...], result: DialResult,
                answered: str | None) -> None:
        self.data["attempts"].append({"targets": list(targets), "result": result.status,
                                      "answered_by": answered, "detail": result.detail})

    def finish(self, outcome: str, reason: str, answered: str | None = None,
               talk_seconds: float = 0.0) -> None:
        self._answered, self._talk = answered, talk_seconds
        self.data["outcome"] = outcome
        self.data["reason"] = reason
        self.data["ended_at_step"] = self.step

    def result(self) -> CallResult:
        return CallResult(outcome=self.data["outcome"], trace=self.data, ivr_path=self._path,
                          tags=self._tags, answered_target=self._answered,
                          talk_seconds=self._talk, voicemail=self.data.get("voicemail"))


def _check(check: CapCheck) -> dict[str, Any]:
    return {"scope": check.scope, "period": check.period, "count": check.count,
            "limit": check.limit, "blocked": check.blocked}
