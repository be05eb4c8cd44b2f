"""Dial plans: each strategy, each skip reason, dial strings, and demo.yaml's own numbers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from callserver.config.resolve import ResolvedConfig
from callserver.hours.caps import Counters
from callserver.ivr import Done, start, step
from callserver.routing import Skip, Turn, plan, weighted_ticket
from tests.routing.support import NIGHT, context, demo, inline, planned, rings


@pytest.fixture(scope="module")
def cfg() -> ResolvedConfig:
    return demo()


STRATEGIES = [
    ("{targets: [{target: a, priority: 2}, {target: b}, {target: c, priority: 2}, "
     "{target: d}]}", 0, "call-1", [["b"], ["d"], ["a"], ["c"]], None,
     "priority: b (priority 1), then d (priority 1), then a (priority 2), then c (priority 2)"),
    ("{strategy: round_robin, targets: [{target: a}, {target: b}, {target: c}]}", 0, "call-1",
     [["a"], ["b"], ["c"]], 0, "round_robin: rotation 0 falls on a, 1 of 3 listed; starts at a"),
    ("{strategy: round_robin, targets: [{target: a}, {target: b}, {target: c}]}", 1, "call-1",
     [["b"], ["c"], ["a"]], 1, "round_robin: rotation 1 falls on b, 2 of 3 listed; starts at b"),
    ("{strategy: round_robin, targets: [{target: a}, {target: b}, {target: c}]}", 8, "call-1",
     [["c"], ["a"], ["b"]], 8, "round_robin: rotation 8 falls on c, 3 of 3 listed; starts at c"),
    ("{strategy: simultaneous, targets: [{target: c}, {target: a}, {target: b}]}", 4, "call-1",
     [["c", "a", "b"]], None, "simultaneous: ringing c, a, b at once"),
    ("{strategy: weighted, targets: [{target: a}, {target: b, weight: 2}, {target: c}]}", 0,
     "call-2", [["a"], ["b"], ["c"]], None,
     "weighted: call id drew a (weight 1 of 4); failover by weight: b, c"),
    ("{strategy: weighted, targets: [{target: a}, {target: b, weight: 2}, {target: c}]}", 0,
     "call-0", [["b"], ["a"], ["c"]], None,
     "weighted: call id drew b (weight 2 of 4); failover by weight: a, c"),
    ("{strategy: weighted, targets: [{target: a}, {target: b, weight: 2}, {target: c}]}", 0,
     "call-3", [["c"], ["b"], ["a"]], None,
     "weighted: call id drew c (weight 1 of 4); failover by weight: b, a"),
    ("{strategy: weighted, targets: [{target: a, weight: 5}]}", 0, "call-3", [["a"]], None,
     "weighted: call id drew a (weight 5 of 5)"),
]


@pytest.mark.parametrize(("routing", "rotation", "call_id", "expected", "turn", "reason"),
                         STRATEGIES)
def test_strategies(tmp_path: Path, routing: str, rotation: int, call_id: str,
                    expected: list[list[str]], turn: int | None, reason: str) -> None:
    """`turn`: the round-robin turn the plan takes (only round robin takes one)."""
    config = inline(tmp_path, routing)
    found = planned(config, rotation=rotation, ctx=context(config, call_id=call_id))
    assert rings(found) == expected
    assert found.turn == (None if turn is None else Turn("c:a,b,c", turn, turn + 1))
    assert found.reasons == ("no rule matched", reason)
    assert all(a.ring_timeout == 20 for a in found.attempts)


RR = "{strategy: round_robin, targets: [{target: a}, {target: b}, {target: c}]}"
RR_TARGETS = """\
          a: {dial: PJSIP/a@pbx, schedule: never}
          b: {dial: PJSIP/b@pbx}
          c: {dial: PJSIP/c@pbx}"""


@pytest.mark.parametrize(("rotation", "expected", "after"),
                         [(0, "b", 2), (1, "b", 2), (2, "c", 3), (3, "b", 5)])
def test_round_robin_takes_turns_over_the_listed_targets(
        tmp_path: Path, rotation: int, expected: str, after: int) -> None:
    """a is closed: its turn falls to b, and the next turn starts past b (c's)."""
    found = planned(inline(tmp_path, RR, RR_TARGETS), rotation=rotation)
    assert rings(found)[0] == [expected]
    assert found.turn is not None and found.turn.next == after
    if rotation % 3 == 0:
        assert found.reasons[-1] == (f"round_robin: rotation {rotation} falls on a, 1 of 3 "
                                     "listed; a (skipped) passed over, starts at b")


def test_round_robin_shares_a_closed_target_s_turns_evenly(tmp_path: Path) -> None:
    """Each call starts past the one before it rang: b, c, b, c (not b, b, c, as when the
    closed a's turns all went to b)."""
    config = inline(tmp_path, RR, RR_TARGETS)
    rotation, rung = 0, []
    for _ in range(6):
        found = planned(config, rotation=rotation)
        assert found.turn is not None
        rung.append(rings(found)[0][0])
        rotation = found.turn.next
    assert rung == ["b", "c", "b", "c", "b", "c"]


def test_round_robin_with_no_target_eligible_keeps_its_turn(tmp_path: Path) -> None:
    closed = "\n".join(f"          {n}: {{dial: PJSIP/{n}@pbx, schedule: never}}"
                       for n in "abc")
    found = planned(inline(tmp_path, RR, closed), rotation=4)
    assert found.attempts == () and found.turn is not None
    assert (found.turn.turn, found.turn.next) == (4, 4)


def test_round_robin_with_every_target_eligible_cycles_in_order(tmp_path: Path) -> None:
    config = inline(tmp_path, RR, RR_TARGETS.replace(", schedule: never", ""))
    assert [rings(planned(config, rotation=r))[0] for r in range(4)] == [
        ["a"], ["b"], ["c"], ["a"]]


def test_each_target_list_takes_its_own_turns(tmp_path: Path) -> None:
    """A rule's list rotates apart from the defaults: the defaults' turn moves none of its."""
    config = inline(tmp_path, "{strategy: round_robin, targets: [{target: a}, {target: b}], "
                              "rules: [{when: {tags.channel: tv}, "
                              "targets: [{target: c}, {target: d}]}]}")
    view = config.lookup("+18005550101")
    assert view is not None
    turns = {"c:a,b": 1}
    defaults = plan(view.routing, context(config), config.model.targets, config.schedules, {},
                    turns, None)
    tv = plan(view.routing, replace(context(config), tags={"channel": "tv"}),
              config.model.targets, config.schedules, {}, turns, None)
    assert (defaults.turn, rings(defaults)[0]) == (Turn("c:a,b", 1, 2), ["b"])
    assert (tv.turn, rings(tv)[0]) == (Turn("c:c,d", 0, 1), ["c"])


def test_weighted_draw_is_pinned_to_sha256_of_the_call_id() -> None:
    """Python's hash() is salted per process; a replay must draw what the live call drew."""
    assert [weighted_ticket(f"call-{i}", 4) for i in range(8)] == [1, 1, 0, 3, 1, 2, 1, 1]
    assert weighted_ticket("call-1", 1_000_000) == weighted_ticket("call-1", 1_000_000)


SKIPS = """\
  open:   {dial: "PJSIP/open@pbx", schedule: always}
  shut:   {dial: "PJSIP/shut@pbx", schedule: never, caps: {day: 0}}
  daily:  {dial: "PJSIP/daily@pbx", caps: {hour: 20, day: 100}}
  hourly: {dial: "PJSIP/hourly@pbx", caps: {hour: 0}}
  month:  {dial: "PJSIP/month@pbx", caps: {month: 900}}
  full:   {dial: "PJSIP/full@pbx", concurrency: 5}
  tight:  {dial: "PJSIP/tight@pbx", concurrency: 5, caps: {concurrency: 3}}
  spare:  {dial: "PJSIP/spare@pbx", concurrency: 5, caps: {day: 10}}
  backup: {dial: "PJSIP/backup@pbx"}
"""


@pytest.mark.parametrize(("name", "counters", "reason"), [
    ("open", Counters(), None),
    ("shut", Counters(), "closed: never outside hours (no opening within 400 days)"),
    ("daily", Counters(hour=3, day=99), None),
    ("daily", Counters(hour=3, day=100), "capped: day 100/100"),
    ("daily", Counters(hour=20, day=100), "capped: hour 20/20"),
    ("hourly", Counters(), "capped: hour 0/0"),
    ("month", Counters(month=900), "capped: month 900/900"),
    ("full", Counters(concurrency=4), None),
    ("full", Counters(concurrency=5), "busy: concurrency 5/5"),
    ("tight", Counters(concurrency=3), "busy: concurrency 3/3"),
    ("spare", Counters(day=9, concurrency=4), None),
])
def test_skip_reasons(tmp_path: Path, name: str, counters: Counters,
                      reason: str | None) -> None:
    config = inline(tmp_path, f"{{targets: [{{target: {name}}}, {{target: backup}}]}}", SKIPS)
    found = planned(config, counters={name: counters})
    if reason is None:
        assert (rings(found), found.skipped) == ([[name], ["backup"]], ())
    else:
        assert rings(found) == [["backup"]]
        assert found.skipped == (Skip(name, reason),)
        assert f"skipped {name}: {reason}" in found.reasons


def test_a_target_listed_twice_rings_once(tmp_path: Path) -> None:
    config = inline(tmp_path, "{targets: [{target: a}, {target: b}, {target: a, priority: 9}]}")
    found = planned(config)
    assert (rings(found), found.skipped) == ([["a"], ["b"]], ())
    assert "a is listed more than once; only its first entry counts" in found.reasons


def test_every_cap_consulted_is_reported(tmp_path: Path) -> None:
    config = inline(tmp_path, "{targets: [{target: daily}, {target: tight}, {target: shut}]}",
                    SKIPS)
    found = planned(config, counters={"daily": Counters(hour=1, day=100)})
    assert [(c.scope, c.period, c.count, c.limit, c.blocked) for c in found.checks] == [
        ("target:daily", "hour", 1, 20, False), ("target:daily", "day", 100, 100, True),
        ("target:tight", "concurrency", 0, 3, False)]


def test_simultaneous_rings_only_eligible_targets(tmp_path: Path) -> None:
    config = inline(tmp_path, "{strategy: simultaneous, targets: [{target: full}, "
                              "{target: open}, {target: shut}, {target: spare}]}", SKIPS)
    found = planned(config, counters={"full": Counters(concurrency=5)})
    assert rings(found) == [["open", "spare"]]
    assert found.attempts[0].dial == ("PJSIP/open@pbx", "PJSIP/spare@pbx")
    assert [s.target for s in found.skipped] == ["full", "shut"]


def test_dial_strings(tmp_path: Path) -> None:
    targets = """\
  pbx:   {dial: "SIP/100&IAX2/200"}
  cell:  {number: "(312) 555-0142"}
  buyer: {sip: "sip:calls@buyer.example.com:5061"}
"""
    config = inline(tmp_path, "{strategy: simultaneous, targets: [{target: pbx}, "
                              "{target: cell}, {target: buyer}]}", targets)
    assert planned(config).attempts[0].dial == (
        "SIP/100&IAX2/200", "PJSIP/+13125550142@carrier",
        "PJSIP/cs-buyer/sip:calls@buyer.example.com:5061")


def test_inconsistent_inputs_are_refused(cfg: ResolvedConfig) -> None:
    view = cfg.lookup("+18005550101")
    assert view is not None
    ctx = context(cfg)
    with pytest.raises(ValueError, match="'dispatch', which is not configured"):
        plan(view.routing, ctx, {}, cfg.schedules, {}, {}, cfg.model.trunk)
    with pytest.raises(ValueError, match="schedule 'office', which is not configured"):
        plan(view.routing, ctx, cfg.model.targets, {}, {}, {}, cfg.model.trunk)
    insurance = cfg.lookup("+18885550104")
    assert insurance is not None
    with pytest.raises(ValueError, match="'buyer-b' has a number but the config has no `trunk`"):
        plan(insurance.routing, ctx, cfg.model.targets, cfg.schedules, {}, {}, None)


DEMO_CASES = [
    ("+18005550101", {}, [["dispatch"], ["overflow"]], "priority", 20),
    ("+18005550101", {"dispatch": Counters(concurrency=4)}, [["overflow"]], "priority", 20),
    ("+18005550101", {"dispatch": Counters(hour=30), "overflow": Counters(concurrency=2)},
     [], "priority", 20),
    ("+18005550102", {}, [["dispatch", "overflow"]], "simultaneous", 25),
    ("+13125550112", {}, [["dispatch"], ["overflow"]], "priority", 20),
    ("+18885550104", {}, [["buyer-a"], ["buyer-b"]], "weighted", 30),
    ("+18885550104", {"buyer-a": Counters(day=50)}, [["buyer-b"]], "weighted", 30),
]


@pytest.mark.parametrize(("number", "counters", "expected", "strategy", "ring"), DEMO_CASES)
def test_demo_numbers(cfg: ResolvedConfig, number: str, counters: dict[str, Counters],
                      expected: list[list[str]], strategy: str, ring: int) -> None:
    found = planned(cfg, number, counters=counters)
    assert (rings(found), found.strategy) == (expected, strategy)
    assert {a.ring_timeout for a in found.attempts} <= {ring}
    assert {s.target for s in found.skipped} == set(counters)


def test_demo_target_closed_by_its_schedule(cfg: ResolvedConfig) -> None:
    found = planned(cfg, ctx=context(cfg, now=NIGHT))
    assert rings(found) == [["overflow"]]
    assert found.skipped == (Skip("dispatch", "closed: office outside hours (opens tue 08:00)"),)


def test_demo_tv_rule_rings_everyone(cfg: ResolvedConfig) -> None:
    """A TV-tagged call (here via the IVR's tags) meets the campaign's rule 0."""
    menu = cfg.campaign("plumbing").ivr
    assert menu is not None
    state, _ = start(menu)
    _, done = step(state, "1")
    assert isinstance(done, Done)
    assert planned(cfg, ctx=context(cfg, ivr=done)).rule is None
    tv = context(cfg, ivr=replace(done, tags={**done.tags, "channel": "tv"}))
    found = planned(cfg, ctx=tv)
    assert (found.rule, found.strategy, rings(found)) == (0, "simultaneous",
                                                          [["dispatch", "overflow"]])
    assert found.rule_reason == "rule 0 matched: tags.channel is 'tv'"


def test_ivr_choice_replaces_the_targets_and_wins_over_rules(cfg: ResolvedConfig) -> None:
    menu = cfg.campaign("plumbing").ivr
    assert menu is not None
    state, _ = start(menu)
    _, done = step(state, "2")
    assert isinstance(done, Done)
    ctx = context(cfg, ivr=done)
    assert (ctx.digits, ctx.tags["dept"], ctx.tags["channel"]) == ("2", "support", "search-paid")
    tv = context(cfg, ivr=replace(done, tags={"channel": "tv"}))
    for each in (ctx, tv):
        found = planned(cfg, ctx=each)
        assert (found.rule, rings(found)) == (None, [["overflow"]])
        assert found.rule_reason == ("the caller's IVR choice replaces the targets; "
                                     "rules not consulted")
