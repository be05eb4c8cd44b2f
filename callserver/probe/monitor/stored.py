"""The monitor's results as the store holds them for every node: verdicts read back from their
JSON, and which numbers another node is calling now."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from callserver.probe.observation import Observation
from callserver.probe.verdict import Routing, Spec, Verdict
from callserver.store import monitor_runs
from callserver.store.monitor_runs import Run
from callserver.store.open import AnyStore


@dataclass(frozen=True)
class Shared:
    results: Mapping[str, Verdict] = field(default_factory=dict)
    claimed: Mapping[str, datetime] = field(default_factory=dict)  # number: claim's end


def verdict_of(data: Mapping[str, Any]) -> Verdict:
    """The inverse of `verdict_json` (which leaves the keys out: they are the digits sent)."""
    seen = {key: value for key, value in data["call"].items() if key != "answered"}
    for key in ("placed_at", "ended_at"):
        seen[key] = datetime.fromisoformat(seen[key])
    observation = Observation(**seen)
    routing = data["routing"]
    return Verdict(
        Spec(data["number"], observation.digits_sent, data["expect_target"]), observation,
        None if routing is None else Routing(**{**routing, "ivr_path": tuple(routing["ivr_path"]),
                                                "dialled": tuple(routing["dialled"])}),
        tuple(data["problems"]))


def shared_of(runs: Sequence[Run], now: datetime) -> Shared:
    return Shared({run.number: verdict_of(run.verdict) for run in runs
                   if run.verdict is not None},
                  {run.number: run.claimed_until for run in runs
                   if run.claimed_until is not None and run.claimed_until > now})


async def read_shared(store: AnyStore, now: datetime) -> Shared:
    return shared_of(await store.read(monitor_runs.runs), now)
