"""Whether a test call passed, decided from what the caller saw and the call's record.

Pure: plain values in, a plain verdict out. A target is reached when it answered the call or
was being dialled when the test call hung up (a test call does not wait for a person to pick
up, so "dialled" is what it can prove).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from callserver.probe.observation import Observation, Timing
from callserver.store.call_values import Call, CallStatus


@dataclass(frozen=True)
class Spec:
    """One test call to make: the number, the keys to press, the target it should reach."""

    number: str
    digits: str = ""
    expect_target: str | None = None


@dataclass(frozen=True)
class Routing:
    """How callserver handled the call, from its record."""

    call_id: str
    status: str
    campaign: str | None
    source: str | None
    ivr_path: tuple[str, ...]
    dialled: tuple[str, ...]
    answered_target: str | None
    reason: str | None


@dataclass(frozen=True)
class Verdict:
    spec: Spec
    observation: Observation
    routing: Routing | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def routing_of(call: Call) -> Routing:
    trace = call.trace if isinstance(call.trace, dict) else {}
    dialled = tuple(dict.fromkeys(name for attempt in trace.get("attempts", [])
                                  for name in attempt.get("targets", [])))
    return Routing(call.id, str(call.status), call.campaign, call.source, call.ivr_path,
                   dialled, call.end.answered_target if call.end else None,
                   trace.get("reason"))


def reached(routing: Routing, target: str) -> bool:
    return routing.answered_target == target or target in routing.dialled


def judge(spec: Spec, observation: Observation, call: Call | None,
          timing: Timing) -> Verdict:
    problems = [observation.failure] if observation.failure else []
    if observation.answered and observation.first_audio_s is None:
        problems.append(f"no audio within {timing.audio_s:g}s of the answer")
    routing = routing_of(call) if call is not None else None
    if routing is None:
        if observation.answered:
            problems.append(f"no call record for {spec.number} while the test call was on "
                            "the line: did the PBX send it to callserver?")
    elif routing.status == CallStatus.IN_PROGRESS:
        problems.append(f"the call record is still in progress {timing.record_s:g}s after "
                        "hang-up")
    if spec.expect_target is not None and (routing is None
                                           or not reached(routing, spec.expect_target)):
        got = (f"dialled {', '.join(routing.dialled) or 'nothing'}" if routing else "no record")
        problems.append(f"did not reach {spec.expect_target} ({got})")
    return Verdict(spec, observation, routing, tuple(problems))


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    """The verdict as JSON values: what `test-call` prints and `/api/monitor` serves."""
    seen = asdict(verdict.observation)
    for key in ("placed_at", "ended_at"):
        seen[key] = seen[key].isoformat().replace("+00:00", "Z")
    return {"number": verdict.spec.number, "ok": verdict.ok, "problems": list(verdict.problems),
            "expect_target": verdict.spec.expect_target,
            "call": {**seen, "answered": verdict.observation.answered},
            "routing": None if verdict.routing is None else {
                **asdict(verdict.routing), "ivr_path": list(verdict.routing.ivr_path),
                "dialled": list(verdict.routing.dialled)}}
