"""Properties of dial plans over random targets, caps, counters, schedules and call ids."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from callserver.config.schema.root import Target
from callserver.config.schema.routing import Routing
from callserver.hours.caps import Counters
from callserver.hours.schedule import Schedule
from callserver.hours.spec import parse_weekly
from callserver.routing import CallContext, DialPlan, plan, rotation_key
from tests.routing.support import OPEN

NAMES = [f"t{i}" for i in range(6)]
SCHEDULES: Mapping[str, Schedule] = {
    "always": Schedule("UTC", parse_weekly({"daily": "24h"})),
    "never": Schedule("UTC", parse_weekly({"daily": "closed"})),
}
PLAIN = {name: Target(dial=f"PJSIP/{name}@pbx") for name in NAMES}
STRATEGY = st.sampled_from(["priority", "round_robin", "weighted", "simultaneous"])


def call(call_id: str = "call") -> CallContext:
    return CallContext(call_id=call_id, number="+18005550101", campaign="c",
                       caller="+13125550100", tags={}, digits="", source=None, publisher=None,
                       sub_id=None, now=OPEN)


def route_of(strategy: str, refs: list[dict[str, Any]]) -> Routing:
    return Routing.model_validate({"strategy": strategy, "targets": refs})


def first_choice(found: DialPlan) -> str:
    return found.attempts[0].targets[0]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=2, max_size=4))
def test_weighted_shares_follow_the_weights(weights: list[int]) -> None:
    routing = route_of("weighted", [{"target": NAMES[i], "weight": w}
                                    for i, w in enumerate(weights)])
    calls = 3000
    drawn = Counter(first_choice(plan(routing, call(f"c-{i}"), PLAIN, SCHEDULES, {}, {}, None))
                    for i in range(calls))
    total = sum(weights)
    for i, weight in enumerate(weights):
        share = weight / total
        slack = 5 * math.sqrt(share * (1 - share) / calls)
        assert abs(drawn[NAMES[i]] / calls - share) <= slack


@given(st.text(max_size=30), st.lists(st.integers(1, 9), min_size=1, max_size=5))
def test_weighted_is_deterministic_per_call_id(call_id: str, weights: list[int]) -> None:
    routing = route_of("weighted", [{"target": NAMES[i], "weight": w}
                                    for i, w in enumerate(weights)])
    first = plan(routing, call(call_id), PLAIN, SCHEDULES, {}, {}, None)
    again = plan(routing, call(call_id), dict(reversed(PLAIN.items())), SCHEDULES, {}, {}, None)
    assert first == again
    assert sorted(a.targets[0] for a in first.attempts) == sorted(NAMES[:len(weights)])
    ranked = [a.targets[0] for a in first.attempts[1:]]
    weight_of = {NAMES[i]: w for i, w in enumerate(weights)}
    assert [weight_of[n] for n in ranked] == sorted((weight_of[n] for n in ranked), reverse=True)


@given(st.integers(2, 6), st.sets(st.sampled_from(NAMES), max_size=3), st.integers(0, 10**6),
       st.integers(1, 4))
def test_round_robin_turns_walk_the_listed_targets_to_the_next_eligible(
        listed: int, full: set[str], rotation: int, rounds: int) -> None:
    """Each turn falls on a listed target; a full one passes it to the next eligible one,
    and the next turn starts past the target rung, so the eligible ones take even turns."""
    names = NAMES[:listed]
    routing = route_of("round_robin", [{"target": n} for n in names])
    counters = {n: Counters(concurrency=1) for n in full}
    targets = {n: Target(dial=f"PJSIP/{n}@pbx", concurrency=1) for n in names}
    eligible = [n for n in names if n not in full]
    key = rotation_key("c", names)
    rung: list[str] = []
    for _ in range(rounds * listed):
        found = plan(routing, call(), targets, SCHEDULES, counters, {key: rotation}, None)
        assert found.turn is not None and (found.turn.key, found.turn.turn) == (key, rotation)
        assert sorted(a.targets[0] for a in found.attempts) == sorted(eligible)
        walk = [names[(rotation + i) % listed] for i in range(listed)]
        if found.attempts:
            rung.append(first_choice(found))
            assert rung[-1] == next(n for n in walk if n not in full)
            assert found.turn.next == rotation + walk.index(rung[-1]) + 1
        else:
            assert found.turn.next == rotation
        rotation = found.turn.next
    shares = [rung.count(n) for n in eligible]
    assert not shares or max(shares) - min(shares) <= 1


TARGET = st.fixed_dictionaries({"dial": st.just("PJSIP/x@pbx")}, optional={
    "concurrency": st.integers(1, 3),
    "schedule": st.sampled_from(["always", "never"]),
    "caps": st.fixed_dictionaries({}, optional={p: st.integers(0, 3) for p in
                                                ("hour", "day", "month", "concurrency")}),
})
COUNTERS = st.builds(Counters, hour=st.integers(0, 4), day=st.integers(0, 4),
                     month=st.integers(0, 4), concurrency=st.integers(0, 4))


@given(STRATEGY,
       st.lists(st.builds(dict, target=st.sampled_from(NAMES), priority=st.integers(1, 3),
                          weight=st.integers(1, 3)), max_size=8),
       st.dictionaries(st.sampled_from(NAMES), TARGET.map(Target.model_validate)),
       st.dictionaries(st.sampled_from(NAMES), COUNTERS), st.integers(0, 100), st.text())
def test_a_plan_never_rings_a_skipped_target(
        strategy: str, refs: list[dict[str, Any]], custom: dict[str, Target],
        counters: dict[str, Counters], rotation: int, call_id: str) -> None:
    targets = {**PLAIN, **custom}
    turns = {rotation_key("c", [r["target"] for r in refs]): rotation}
    found = plan(route_of(strategy, refs), call(call_id), targets, SCHEDULES, counters,
                 turns, None)
    ringing = [n for attempt in found.attempts for n in attempt.targets]
    skipped = [s.target for s in found.skipped]
    assert len(set(ringing)) == len(ringing)
    assert not set(ringing) & set(skipped)
    assert set(ringing) | set(skipped) == {r["target"] for r in refs}
    assert all(s.reason.split(":")[0] in {"closed", "capped", "busy"} for s in found.skipped)
    assert all(f"skipped {s.target}: {s.reason}" in found.reasons for s in found.skipped)
    assert len(found.attempts) == (min(len(ringing), 1) if strategy == "simultaneous"
                                   else len(ringing))
