"""Hours first: open routes, closed goes after hours or hears `closed`; no target ends the call."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from callserver.config.resolve import ResolvedConfig
from callserver.hours.caps import Counters
from callserver.hours.schedule import is_open
from callserver.routing import CallContext, DialPlan, Ending, Skip, no_target, route
from tests.routing.support import NIGHT, NUMBER, OPEN, context, demo, inline, rings

# Saturday 2026-03-07, 14:00 in Chicago: the office has closed and the night desk not opened.
GAP = datetime(2026, 3, 7, 20, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def cfg() -> ResolvedConfig:
    return demo()


def routed(cfg: ResolvedConfig, number: str = NUMBER, *, now: datetime = OPEN,
           counters: Mapping[str, Counters] | None = None,
           ctx: CallContext | None = None) -> DialPlan | Ending:
    view = cfg.lookup(number)
    assert view is not None
    hours = is_open(cfg.schedules[view.schedule], now) if view.schedule else None
    return route(view.routing, ctx or context(cfg, number, now=now), hours, view.prompts.closed,
                 targets=cfg.model.targets, schedules=cfg.schedules, counters=counters or {},
                 rotations={}, trunk=cfg.model.trunk)


def test_open_hours_route_by_plan(cfg: ResolvedConfig) -> None:
    found = routed(cfg)
    assert isinstance(found, DialPlan)
    assert rings(found) == [["dispatch"], ["overflow"]]


def test_a_number_without_schedule_is_always_open(cfg: ResolvedConfig) -> None:
    found = routed(cfg, "+18885550105", now=GAP)
    assert isinstance(found, DialPlan)
    assert found.strategy == "weighted"


def test_closed_hours_go_to_the_after_hours_targets(cfg: ResolvedConfig) -> None:
    found = routed(cfg, now=NIGHT)
    assert isinstance(found, DialPlan)
    assert rings(found) == [["on-call"]]
    assert found.attempts[0].dial == ("PJSIP/+13125550142@carrier",)
    assert found.reasons[:2] == ("closed: outside hours (opens tue 08:00)",
                                 "after hours: ringing the after_hours targets")


def test_closed_when_no_after_hours_target_can_ring(cfg: ResolvedConfig) -> None:
    found = routed(cfg, now=GAP)
    assert isinstance(found, Ending)
    assert (found.kind, found.prompt, found.action) == ("closed", "closed", "hangup")
    assert found.reason == (
        "closed: outside hours (opens mon 08:00); after hours: no eligible target "
        "(on-call closed: night-desk outside hours (opens sat 18:00))")
    assert found.plan is not None
    assert found.plan.skipped == (
        Skip("on-call", "closed: night-desk outside hours (opens sat 18:00)"),)


def test_closed_without_after_hours_plays_closed(tmp_path: Path) -> None:
    config = inline(tmp_path, "{targets: [{target: a}]}")
    view = config.lookup(NUMBER)
    assert view is not None
    found = route(view.routing, context(config), is_open(config.schedules["never"], OPEN),
                  "closed", targets=config.model.targets, schedules=config.schedules,
                  counters={}, rotations={}, trunk=None)
    assert found == Ending("closed", "closed", "hangup",
                           "closed: outside hours (no opening within 400 days)")


def test_no_eligible_target_ends_with_no_target(cfg: ResolvedConfig) -> None:
    busy = {"dispatch": Counters(concurrency=4), "overflow": Counters(concurrency=2)}
    found = routed(cfg, counters=busy)
    assert isinstance(found, Ending)
    assert (found.kind, found.prompt, found.action) == ("no_target", "no-agents", "hangup")
    assert found.reason == ("no eligible target (dispatch busy: concurrency 4/4; "
                            "overflow busy: concurrency 2/2)")
    assert found.plan is not None and found.plan.attempts == ()


@pytest.mark.parametrize(("routing", "ending"), [
    ("{targets: [], no_target: {prompt: no-agents, action: voicemail}}",
     Ending("no_target", "no-agents", "voicemail", "no target listed")),
    ("{targets: [{target: a}], no_target: {action: voicemail}}",
     Ending("no_target", None, "voicemail", "no eligible target (a capped: day 0/0)")),
])
def test_no_target_setting(tmp_path: Path, routing: str, ending: Ending) -> None:
    config = inline(tmp_path, routing, targets='  a: {dial: "PJSIP/a@pbx", caps: {day: 0}}\n')
    view = config.lookup(NUMBER)
    assert view is not None
    found = route(view.routing, context(config), None, None, targets=config.model.targets,
                  schedules=config.schedules, counters={}, rotations={}, trunk=None)
    assert isinstance(found, Ending)
    assert (found.kind, found.prompt, found.action, found.reason) == (
        ending.kind, ending.prompt, ending.action, ending.reason)


def test_no_target_after_every_attempt_failed(cfg: ResolvedConfig) -> None:
    view = cfg.lookup(NUMBER)
    assert view is not None
    assert no_target(view.routing, "nobody answered") == Ending(
        "no_target", "no-agents", "hangup", "nobody answered")
