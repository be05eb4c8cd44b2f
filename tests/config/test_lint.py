"""Warnings: what loads but is probably not meant, each said at its file and line, and only
where it is sure (a source shadowed by a subset of its own conditions, not by a guess)."""

from __future__ import annotations

from pathlib import Path

import pytest

from callserver.cli import main
from callserver.config.loader import parse_config

SITE = ('    swap_target: "(800) 555-0100"\n'
        '    sites: ["https://example.com"]\n')


def _warnings(text: str, tmp_path: Path) -> list[str]:
    config = parse_config(text, "t.yaml", tmp_path / "t.yaml")
    return [str(w) for w in config.warnings]


def _match_warnings(text: str, tmp_path: Path) -> list[str]:
    """Only what is said about sources' `match`: these files define sources nothing uses."""
    return [w for w in _warnings(text, tmp_path) if ".match" in w.split(": ")[2]]


def _sources(*lines: str) -> str:
    return "sources:\n" + "".join(f"  {line}\n" for line in lines)


def _only_sources(*lines: str) -> str:
    return _sources(*lines) + "campaigns:\n  spring: {}\n"


def test_a_source_after_a_subset_of_its_conditions_is_never_matched(tmp_path: Path) -> None:
    text = _only_sources(
        "paid: {type: onsite, position: 1, match: {param: {utm_medium: cpc}}}",
        "paid-google: {type: onsite, position: 2, match: {param: {utm_medium: cpc, "
        "utm_source: google}}}",
        "everyone: {type: onsite, position: 3, match: {always: true}}",
        "typed: {type: onsite, position: 4, match: {direct: true}}",
    )
    assert _match_warnings(text, tmp_path) == [
        "t.yaml:3: warning: sources.paid-google.match: never matched: source 'paid' comes first "
        "(position 1) and matches every visit this one matches",
        "t.yaml:5: warning: sources.typed.match: never matched: source 'everyone' comes first "
        "(position 3) and matches every visit this one matches",
    ]


def test_more_conditions_after_fewer_are_shadowed(tmp_path: Path) -> None:
    text = _only_sources(
        "a: {type: onsite, position: 1, match: {param: {utm_medium: cpc}}}",
        "b: {type: onsite, position: 2, match: {param: {utm_medium: cpc}, direct: true}}")
    assert [w.split(": ")[2] for w in _match_warnings(text, tmp_path)] == ["sources.b.match"]


@pytest.mark.parametrize("second", [
    "{param: {utm_medium: email}}",        # another value
    "{direct: false, landing: promo}",      # not the same conditions
    "{landing: 'cpc'}",                     # another field, even if it looks alike
])
def test_different_conditions_are_not_reported(second: str, tmp_path: Path) -> None:
    text = _only_sources("a: {type: onsite, position: 1, match: {param: {utm_medium: cpc}}}",
                         f"b: {{type: onsite, position: 2, match: {second}}}")
    assert _match_warnings(text, tmp_path) == []


def test_a_broader_source_after_a_narrower_one_is_fine(tmp_path: Path) -> None:
    text = _only_sources("a: {type: onsite, position: 1, match: {direct: true, landing: promo}}",
                    "b: {type: onsite, position: 2, match: {direct: true}}",
                    "c: {type: onsite, match: {always: true}}")
    assert _match_warnings(text, tmp_path) == []


def test_order_is_by_position_not_by_place_in_the_file(tmp_path: Path) -> None:
    text = _only_sources("late: {type: onsite, position: 9, match: {search: true}}",
                    "early: {type: onsite, position: 1, match: {always: true}}")
    [warning] = _match_warnings(text, tmp_path)
    assert warning.startswith("t.yaml:2: warning: sources.late.match: never matched: source "
                              "'early' comes first (position 1)")


def test_always_false_is_never_matched(tmp_path: Path) -> None:
    text = _only_sources("off: {type: onsite, match: {always: false, direct: true}}")
    assert _match_warnings(text, tmp_path) == [
        "t.yaml:2: warning: sources.off.match.always: `always: false`: never matched"]


CAMPAIGN = _sources(
    "ads: {type: onsite, position: 1, match: {param: {gclid: '.'}}}",
    "social: {type: onsite, position: 2, match: {landing: fbclid}}",
) + "campaigns:\n  spring:\n" + SITE


def test_a_pool_source_a_static_number_claims_is_warned_of(tmp_path: Path) -> None:
    text = CAMPAIGN + ('    numbers:\n      "(800) 555-0101": {source: ads}\n'
                       '    pools:\n      web:\n        sources: [ads, social]\n'
                       '        numbers: ["(312) 555-0110"]\n')
    assert _warnings(text, tmp_path) == [
        "t.yaml:12: warning: campaigns.spring.pools.web.sources[0]: visits from 'ads' are "
        "shown static number (800) 555-0101 first: this pool never serves them"]


def test_a_second_static_number_of_an_onsite_source_is_warned_of(tmp_path: Path) -> None:
    text = CAMPAIGN + ('    numbers:\n      "(800) 555-0101": {source: ads}\n'
                       '      "(800) 555-0102": {source: ads}\n'
                       '      "(800) 555-0109": {source: social}\n')
    assert _warnings(text, tmp_path) == [
        "t.yaml:10: warning: campaigns.spring.numbers.(800) 555-0102: never shown on the site: "
        "visits from 'ads' are shown static number (800) 555-0101 first"]


def test_geo_sources_rank_their_static_numbers_so_none_is_warned_of(tmp_path: Path) -> None:
    text = CAMPAIGN.replace("match: {param: {gclid: '.'}}",
                            "match: {param: {gclid: '.'}}, geo: nearest") + (
        '    numbers:\n      "(312) 555-0101": {source: ads}\n'
        '      "(415) 555-0102": {source: ads}\n'
        '      "(800) 555-0109": {source: social}\n')
    assert _warnings(text, tmp_path) == []


def test_check_prints_warnings_and_strict_refuses_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(_only_sources("a: {type: onsite, position: 1, match: {always: true}}",
                             "b: {type: onsite, position: 2, match: {direct: true}}"))
    assert main(["check", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[:3] == [
        f"{path}:2: warning: sources.a: no number or pool is credited to it",
        f"{path}:3: warning: sources.b: no number or pool is credited to it",
        f"{path}:3: warning: sources.b.match: never matched: source 'a' comes first "
        "(position 1) and matches every visit this one matches"]
    assert out.splitlines()[3].startswith("spring: ")
    assert err == f"3 warnings in {path}\n"
    assert main(["check", "--strict", str(path)]) == 2
    out, err = capsys.readouterr()
    assert err == f"3 warnings in {path} (refused: --strict)\n"


UNUSED = """\
timezone: UTC
schedules:
  office: {open: {mon-fri: "09:00-17:00"}}
  spare: {open: {sat: "10:00-12:00"}}
publishers:
  leadgen: {}
  idle: {}
targets:
  sales: {sip: "sip:sales@pbx.example.com", schedule: office}
  night: {sip: "sip:night@pbx.example.com"}
  spare: {sip: "sip:spare@pbx.example.com"}
sources:
  tv: {type: offsite}
  radio: {type: offsite}
campaigns:
  spring:
    routing:
      targets: [{target: sales}]
      after_hours: {targets: [{target: night}]}
    numbers:
      "(800) 555-0101": {source: tv, publisher: leadgen}
"""


def test_definitions_nothing_refers_to_are_warned_of(tmp_path: Path) -> None:
    assert _warnings(UNUSED, tmp_path) == [
        "t.yaml:4: warning: schedules.spare: no campaign, number, pool or target follows it",
        "t.yaml:7: warning: publishers.idle: no number or pool is assigned to it: its token "
        "sees nothing",
        "t.yaml:11: warning: targets.spare: never dialled: no routing, rule, IVR option or "
        "after-hours plan lists it",
        "t.yaml:14: warning: sources.radio: no number or pool is credited to it",
    ]


@pytest.mark.parametrize(("under", "use", "unused"), [
    ("  spring:\n", "    ivr: {prompt: menu, options: {'1': {targets: [{target: spare}]}}}",
     "targets.spare"),
    ("    routing:\n", "      rules: [{when: {tags.channel: tv}, targets: [{target: spare}]}]",
     "targets.spare"),
    ("  spring:\n", "    schedule: spare", "schedules.spare"),
])
def test_a_use_anywhere_in_a_campaign_counts(under: str, use: str, unused: str,
                                             tmp_path: Path) -> None:
    text = UNUSED.replace(under, f"{under}{use}\n", 1)
    assert not any(f": {unused}: " in w for w in _warnings(text, tmp_path))


@pytest.mark.parametrize(("use", "unused"), [
    ("schedule: spare", "schedules.spare"),
    ("unlock: {routing: {targets: [{target: spare}]}}", "targets.spare"),
    ("unlock: {routing: {after_hours: {targets: [{target: spare}]}}}", "targets.spare"),
])
def test_a_use_by_a_pool_counts(use: str, unused: str, tmp_path: Path) -> None:
    text = UNUSED + SITE + f'    pools:\n      partner: {{numbers: ["(800) 555-0110"], {use}}}\n'
    warnings = _warnings(text, tmp_path)
    assert not any(f": {unused}: " in w for w in warnings)
    assert any(": publishers.idle: " in w for w in warnings)


def test_captured_parameters_need_a_pool_to_reach_a_call(tmp_path: Path) -> None:
    text = UNUSED.replace("  spring:\n", "  spring:\n    capture_params: {kw: tags.keyword}\n")
    assert "t.yaml:17: warning: campaigns.spring.capture_params: the campaign has no pools: no " \
           "call is ever attributed to a visit, so nothing captured reaches a call" in (
               _warnings(text, tmp_path))


def test_a_captured_publisher_makes_every_publisher_reachable(tmp_path: Path) -> None:
    text = UNUSED.replace("  spring:\n", "  spring:\n    capture_params: {affid: publisher}\n")
    assert not any("publishers.idle" in w for w in _warnings(text, tmp_path))
