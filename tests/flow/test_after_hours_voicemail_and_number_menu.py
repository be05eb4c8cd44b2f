"""The flow on a simulated line: after hours to voicemail (the closed prompt, then a message),
and a number's own IVR menu heard instead of its campaign's, or none at all."""

from __future__ import annotations

import textwrap
from pathlib import Path

from callserver.config.loader import parse_config
from callserver.config.resolve import ResolvedConfig
from tests.flow.test_flow import TUESDAY_NIGHT, TUESDAY_NOON_CHICAGO, call

CAMPAIGN_MENU = '{prompt: menu, options: {"1": {tags: {dept: sales}}}}'
OWN_MENU = '{prompt: tv-offer, options: {"7": {tags: {dept: tv}, targets: [{target: b}]}}}'


def config_text(*, after_hours: str = "{action: voicemail}", unlock: str = "{}") -> str:
    """Office hours in Chicago, targets a and b, the campaign's menu, and number ...0102 with
    `unlock` (a YAML flow mapping); the e2e tests over FastAGI serve it too."""
    return textwrap.dedent("""\
        schedules:
          office: {timezone: America/Chicago, open: {mon-fri: "08:00-18:00"}}
        targets:
          a: {dial: "PJSIP/a@pbx"}
          b: {dial: "PJSIP/b@pbx"}
        campaigns:
          c:
            schedule: office
            routing: {targets: [{target: a}], after_hours: %s}
            prompts: {greeting: welcome, closed: closed}
            ivr: %s
            numbers:
              "8005550101": {}
              "8005550102": {unlock: %s}
        """) % (after_hours, CAMPAIGN_MENU, unlock)


def config(tmp_path: Path, *, after_hours: str = "{action: voicemail}",
           unlock: str = "{}") -> ResolvedConfig:
    return parse_config(config_text(after_hours=after_hours, unlock=unlock), "t.yaml",
                        tmp_path / "t.yaml")


def test_after_hours_plays_closed_then_takes_a_voicemail(tmp_path: Path) -> None:
    cfg = config(tmp_path)
    result, channel = call(cfg, "8005550101", at=TUESDAY_NIGHT)
    assert channel.commands == ["answer", f"play {cfg.prompts.find('closed')}",
                                "voicemail call-1", "hangup"]
    assert result.outcome == "closed"
    assert result.trace["ending"] == {"kind": "closed", "action": "voicemail",
                                      "prompt": "closed"}
    assert result.trace["voicemail"] == result.voicemail == "voicemail/call-1.wav"
    assert result.trace["reason"] == ("closed: outside hours (opens wed 08:00); "
                                      "after hours: voicemail; voicemail taken")
    assert result.trace["caps"] == [] and result.trace["plan"] is None


def test_open_hours_are_untouched_by_the_after_hours_voicemail(tmp_path: Path) -> None:
    result, channel = call(config(tmp_path), "8005550101", digits="1")
    assert result.outcome == "answered" and "voicemail call-1" not in channel.commands


def test_after_hours_targets_that_do_not_answer_end_in_voicemail(tmp_path: Path) -> None:
    cfg = config(tmp_path, after_hours="{targets: [{target: b}], action: voicemail}")
    result, channel = call(cfg, "8005550101", at=TUESDAY_NIGHT, no_answer=["b"])
    assert channel.commands[-4:] == ["dial PJSIP/b@pbx for 20s",
                                     f"play {cfg.prompts.find('closed')}",
                                     "voicemail call-1", "hangup"]
    assert result.outcome == "no-answer"
    assert result.trace["ending"]["kind"] == "closed"
    assert result.trace["reason"].endswith("after hours: voicemail; voicemail taken")


def test_a_numbers_unlocked_routing_goes_to_voicemail_after_hours(tmp_path: Path) -> None:
    cfg = config(tmp_path, after_hours="{targets: [{target: a}]}",
                 unlock="{routing: {targets: [{target: b}], after_hours: {action: voicemail}}}")
    campaign, _ = call(cfg, "8005550101", at=TUESDAY_NIGHT, no_answer=["a"])
    number, channel = call(cfg, "8005550102", at=TUESDAY_NIGHT)
    assert campaign.trace["ending"]["kind"] == "no_target"
    assert number.trace["ending"]["action"] == "voicemail"
    assert channel.commands[-2:] == ["voicemail call-1", "hangup"]


def test_a_number_hears_its_own_menu_and_its_option_routes(tmp_path: Path) -> None:
    cfg = config(tmp_path, unlock=f"{{routing: {{targets: [{{target: a}}], ivr: {OWN_MENU}}}}}")
    result, channel = call(cfg, "8005550102", at=TUESDAY_NOON_CHICAGO, digits="7")
    assert f"read {cfg.prompts.find('tv-offer')} -> 7" in channel.commands
    assert not any(c.startswith(f"read {cfg.prompts.find('menu')}") for c in channel.commands)
    assert result.trace["ivr"]["path"] == ["7"] and result.tags["dept"] == "tv"
    assert result.answered_target == "b"


def test_a_number_can_turn_the_campaigns_menu_off(tmp_path: Path) -> None:
    cfg = config(tmp_path, unlock="{routing: {targets: [{target: b}], ivr: false}}")
    result, channel = call(cfg, "8005550102", at=TUESDAY_NOON_CHICAGO)
    assert not any(c.startswith("read ") for c in channel.commands)
    assert result.trace["ivr"] is None and result.answered_target == "b"
    _, channel = call(cfg, "8005550101", at=TUESDAY_NOON_CHICAGO, digits="1")
    assert f"read {cfg.prompts.find('menu')} -> 1" in channel.commands
