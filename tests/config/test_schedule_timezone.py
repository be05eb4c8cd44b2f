"""Business hours need a zone someone chose, the schedule's or the file's: never a silent UTC."""

from __future__ import annotations

from pathlib import Path

import pytest

from callserver.config.errors import ConfigError, ConfigIssue
from callserver.config.loader import parse_config

OFFICE = 'schedules:\n  office:\n{zone}    open: {{mon-fri: "09:00-17:00"}}\n'
CAMPAIGN = "campaigns:\n  spring: {schedule: office}\n"


def _issues(text: str, tmp_path: Path) -> tuple[ConfigIssue, ...]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "t.yaml", tmp_path / "t.yaml")
    return caught.value.issues


def test_schedule_without_any_zone_is_refused(tmp_path: Path) -> None:
    [issue] = _issues(OFFICE.format(zone="") + CAMPAIGN, tmp_path)
    assert (issue.file, issue.line, issue.path) == ("t.yaml", 2, "schedules.office.timezone")
    assert "timezone: America/New_York" in issue.message


def test_schedule_own_zone_suffices(tmp_path: Path) -> None:
    text = OFFICE.format(zone="    timezone: America/Denver\n") + CAMPAIGN
    config = parse_config(text, "t.yaml", tmp_path / "t.yaml")
    assert config.schedules["office"].timezone == "America/Denver"
    assert config.model.timezone == "UTC"


@pytest.mark.parametrize("zone", ["UTC", "America/Chicago"])
def test_file_zone_suffices(zone: str, tmp_path: Path) -> None:
    text = f"timezone: {zone}\n" + OFFICE.format(zone="") + CAMPAIGN
    config = parse_config(text, "t.yaml", tmp_path / "t.yaml")
    assert config.schedules["office"].timezone == zone


def test_file_without_schedules_needs_no_zone(tmp_path: Path) -> None:
    config = parse_config("campaigns:\n  spring: {}\n", "t.yaml", tmp_path / "t.yaml")
    assert config.model.timezone == "UTC"


def test_a_rejected_file_zone_is_reported_once(tmp_path: Path) -> None:
    text = "timezone: Nowhere/City\n" + OFFICE.format(zone="") + CAMPAIGN
    assert [issue.path for issue in _issues(text, tmp_path)] == ["timezone"]


BLOCKED = ('targets: {desk: {dial: "PJSIP/desk@pbx", caps: {blocks: [{hours: "09:00-12:00", '
           'calls: 5}]}}}\ncampaigns:\n  spring:\n    routing: {targets: [{target: desk}]}\n')


def test_cap_blocks_without_any_zone_are_refused(tmp_path: Path) -> None:
    """A block of the day is hours too: with no schedule on its scope and no file zone it
    would count from 09:00 UTC."""
    [issue] = _issues(BLOCKED, tmp_path)
    assert (issue.line, issue.path) == (1, "targets.desk.caps.blocks")
    assert "need a time zone" in issue.message


@pytest.mark.parametrize("fix", [
    "timezone: America/Chicago\n",
    'schedules:\n  office: {timezone: America/Chicago, open: {daily: "08:00-20:00"}}\n'])
def test_cap_blocks_take_the_file_zone_or_their_schedule(tmp_path: Path, fix: str) -> None:
    text = BLOCKED.replace('calls: 5}]}}}', 'calls: 5}]}, schedule: office}}'
                           if "schedules" in fix else 'calls: 5}]}}}')
    config = parse_config(fix + text, "t.yaml", tmp_path / "t.yaml")
    assert config.model.targets["desk"].caps.blocks


@pytest.mark.parametrize(("caps", "why"), [
    ("{day: 100}", "a cap per day counts from local midnight"),
    ("{month: 900}", "a cap per month counts from the local first of the month")])
def test_caps_per_day_or_month_without_any_zone_are_refused(
        tmp_path: Path, caps: str, why: str) -> None:
    [issue] = _issues(f"campaigns:\n  spring: {{caps: {caps}}}\n", tmp_path)
    assert issue.path == f"campaigns.spring.caps.{caps[1:caps.index(':')]}"
    assert issue.message.startswith(f"{why}, so it needs a time zone: give the file")


def test_caps_per_hour_or_at_once_need_no_zone(tmp_path: Path) -> None:
    config = parse_config("campaigns:\n  spring: {caps: {hour: 10, concurrency: 2}}\n",
                          "t.yaml", tmp_path / "t.yaml")
    assert config.model.campaigns["spring"].caps.hour == 10


POOL = ('sources: {{web: {{type: onsite, match: {{always: true}}}}}}\n'
        'campaigns:\n  spring:\n    swap_target: "800 555 0100"\n'
        '    sites: ["https://www.example.com"]\n'
        '    pools: {{partner: {{sources: [web], numbers: ["800 555 0110"], {own}}}}}\n')


def test_a_pool_cap_per_day_needs_a_zone(tmp_path: Path) -> None:
    [issue] = _issues(POOL.format(own="caps: {day: 5}"), tmp_path)
    assert issue.path == "campaigns.spring.pools.partner.caps.day"


def test_a_pool_own_zoned_schedule_gives_its_caps_their_zone(tmp_path: Path) -> None:
    text = (OFFICE.format(zone="    timezone: America/Denver\n")
            + POOL.format(own="schedule: office, caps: {day: 5}"))
    config = parse_config(text, "t.yaml", tmp_path / "t.yaml")
    view = config.lookup("+18005550110")
    assert view is not None and (view.schedule, view.caps.day) == ("office", 5)
