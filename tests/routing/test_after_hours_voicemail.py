"""After hours straight to voicemail: the closed ending carries the routing's `after_hours`
action, also once after-hours targets were unplaceable or rang out; open hours are untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from callserver.config.errors import ConfigError
from callserver.config.resolve import ResolvedConfig
from callserver.hours.schedule import OpenState, is_open
from callserver.routing import DialPlan, Ending, route, unanswered
from tests.routing.support import NUMBER, OPEN, context, inline, planned

CLOSED_REASON = "closed: outside hours (no opening within 400 days)"
VOICEMAIL = "{targets: [{target: a}], after_hours: {action: voicemail}}"


def routed(config: ResolvedConfig, hours: OpenState | None) -> DialPlan | Ending:
    view = config.lookup(NUMBER)
    assert view is not None
    return route(view.routing, context(config), hours, "closed", targets=config.model.targets,
                 schedules=config.schedules, counters={}, rotations={}, trunk=None)


def closed(config: ResolvedConfig) -> OpenState:
    return is_open(config.schedules["never"], OPEN)


def test_closed_goes_to_voicemail_after_the_closed_prompt(tmp_path: Path) -> None:
    config = inline(tmp_path, VOICEMAIL)
    assert routed(config, closed(config)) == Ending(
        "closed", "closed", "voicemail", f"{CLOSED_REASON}; after hours: voicemail")


def test_open_hours_still_ring_the_targets(tmp_path: Path) -> None:
    config = inline(tmp_path, VOICEMAIL)
    found = routed(config, is_open(config.schedules["always"], OPEN))
    assert isinstance(found, DialPlan) and [a.targets for a in found.attempts] == [("a",)]


def test_unplaceable_after_hours_targets_end_in_voicemail(tmp_path: Path) -> None:
    config = inline(tmp_path, "{targets: [{target: a}], "
                              "after_hours: {targets: [{target: b}], action: voicemail}}",
                    targets='  a: {dial: "PJSIP/a@pbx"}\n'
                            '  b: {dial: "PJSIP/b@pbx", caps: {day: 0}}\n')
    found = routed(config, closed(config))
    assert isinstance(found, Ending)
    assert (found.kind, found.prompt, found.action) == ("closed", "closed", "voicemail")
    assert found.reason == (f"{CLOSED_REASON}; after hours: no eligible target "
                            "(b capped: day 0/0); after hours: voicemail")
    assert found.plan is not None and found.plan.attempts == ()


def test_after_hours_targets_that_can_ring_still_ring(tmp_path: Path) -> None:
    config = inline(tmp_path, "{targets: [{target: a}], "
                              "after_hours: {targets: [{target: b}], action: voicemail}}")
    found = routed(config, closed(config))
    assert isinstance(found, DialPlan) and [a.targets for a in found.attempts] == [("b",)]


def test_hangup_after_hours_keeps_the_closed_prompt_and_hang_up(tmp_path: Path) -> None:
    config = inline(tmp_path, "{targets: [{target: a}]}")
    assert routed(config, closed(config)) == Ending("closed", "closed", "hangup", CLOSED_REASON)


@pytest.mark.parametrize(("after_hours", "no_target", "when", "ending"), [
    ("{targets: [{target: b}], action: voicemail}", "{prompt: no-agents}", "closed",
     ("closed", "closed", "voicemail")),
    ("{targets: [{target: b}], action: voicemail}", "{prompt: no-agents}", "open",
     ("no_target", "no-agents", "hangup")),
    ("{targets: [{target: b}]}", "{prompt: no-agents}", "closed",
     ("no_target", "no-agents", "hangup")),
    ("{targets: [{target: b}]}", "{prompt: no-agents, action: voicemail}", "closed",
     ("no_target", "no-agents", "voicemail")),
])
def test_when_every_attempt_failed(tmp_path: Path, after_hours: str, no_target: str, when: str,
                                   ending: tuple[str, str, str]) -> None:
    """After hours with `action: voicemail`, a call the rung targets did not take still gets
    the after-hours voicemail; otherwise the routing's `no_target` decides, as before."""
    config = inline(tmp_path, f"{{targets: [{{target: a}}], after_hours: {after_hours}, "
                              f"no_target: {no_target}}}")
    view = config.lookup(NUMBER)
    assert view is not None
    hours = closed(config) if when == "closed" else is_open(config.schedules["always"], OPEN)
    found = unanswered(view.routing, "nobody answered", planned(config), hours, "closed")
    assert (found.kind, found.prompt, found.action) == ending
    assert found.reason.startswith(CLOSED_REASON if ending[0] == "closed" else "nobody")


def test_a_numbers_unlocked_routing_can_send_it_to_voicemail(tmp_path: Path) -> None:
    config = inline(tmp_path, "{targets: [{target: a}]}",
                    number="{unlock: {routing: {targets: [{target: b}], "
                           "after_hours: {action: voicemail}}}}")
    found = routed(config, closed(config))
    assert isinstance(found, Ending) and found.action == "voicemail"


def test_an_after_hours_that_does_nothing_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        inline(tmp_path, "{targets: [{target: a}], after_hours: {}}")
    [issue] = raised.value.issues
    assert (issue.file, issue.line, issue.path) == ("t.yaml", 15,
                                                    "campaigns.c.routing.after_hours")
    assert issue.message == "after_hours needs `targets` to ring or `action: voicemail`"
