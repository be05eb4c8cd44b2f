"""The counts a call's caps see: the store's, raised to AMI's view of the PBX where that is
more, without the call itself (AMI's tracker follows it from its start)."""

from pathlib import Path

from callserver.asterisk.call_counts import counts_from, scopes_for
from callserver.config.loader import parse_config
from callserver.hours.caps import Counters

NUMBER, TARGET = "number:+18005550101", "target:desk"


def test_the_pbx_figure_counts_others_calls_not_this_one() -> None:
    rotations = {"spring:desk,spare": 2}
    counts = counts_from({NUMBER: {"day": 7, "concurrency": 1}, TARGET: {"concurrency": 0}},
                         rotations, {NUMBER: 2, TARGET: 3}, [NUMBER])
    assert counts.of(NUMBER) == Counters(day=7, concurrency=1)
    assert counts.of(TARGET) == Counters(concurrency=3)
    assert counts.rotations is rotations  # the node's own: the call takes its turn there


def test_without_ami_the_store_s_counts_stand() -> None:
    counts = counts_from({NUMBER: {"concurrency": 2}}, {}, None, [NUMBER])
    assert counts.of(NUMBER) == Counters(concurrency=2)


POOL = """
timezone: America/Chicago
schedules: {partner-hours: {timezone: America/Denver, open: {daily: "24h"}}}
sources: {web: {type: onsite, match: {always: true}}}
campaigns:
  c:
    swap_target: "800 555 0100"
    sites: ["https://www.example.com"]
    pools:
      partner: {sources: [web], numbers: ["800 555 0110"], fallback: "800 555 0119",
                schedule: partner-hours, caps: {day: 30}}
"""


def test_a_pool_s_caps_are_each_number_s_own_scope_in_the_pool_s_zone(tmp_path: Path) -> None:
    config = parse_config(POOL, "t.yaml", tmp_path / "t.yaml")
    for number in ("+18005550110", "+18005550119"):
        view = config.lookup(number)
        assert view is not None
        [scope] = scopes_for(config, view)
        assert (scope.name, scope.timezone, scope.caps.day) == (f"number:{number}",
                                                                "America/Denver", 30)
