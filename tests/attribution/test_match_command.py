"""`callserver match`: the source a visit is credited to, why each earlier one failed, and what
each campaign would show, judged by the same matcher the swap endpoint uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callserver.cli import main

DEMO = str(Path(__file__).parents[2] / "examples" / "demo.yaml")
SITE = "https://www.example.com"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["match", "--config", DEMO, *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_each_earlier_source_says_which_condition_failed(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = _run(capsys, f"{SITE}/?utm_source=fb", "--referrer",
                          "https://www.bing.com/search?q=plumber")
    assert code == 0
    assert lines == [
        f"url: {SITE}/?utm_source=fb",
        "referrer: https://www.bing.com/search?q=plumber",
        "google-ads: no: param utm_source: '^(google|adwords)$' (is 'fb')",
        "facebook: no: landing: '[?&]fbclid='",
        "yelp: no: referrer: '^https?://([a-z0-9-]+\\.)*yelp\\.com(/|$)'",
        "organic: matched",
        "source: organic",
        "plumbing: leases a number of pool plumbing/website, else +13125550199",
        "insurance: swaps nothing (no swap_target)",
    ]


def test_a_static_number_is_what_its_source_is_shown(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = _run(capsys, f"{SITE}/?utm_source=Google", "--campaign", "plumbing")
    assert code == 0
    assert lines[2:] == ["google-ads: matched", "source: google-ads",
                         "plumbing: shows static number +18005550101"]


def test_a_referrer_on_the_campaigns_own_site_is_no_referral(
        capsys: pytest.CaptureFixture[str]) -> None:
    about = f"{SITE}/about"
    _, lines, _ = _run(capsys, f"{SITE}/", "--referrer", about)
    assert "source: website" in lines  # any referrer: the catch-all `always` source
    _, lines, _ = _run(capsys, f"{SITE}/", "--referrer", about, "--campaign", "plumbing")
    assert lines[1] == "referrer: (none)" and "source: direct" in lines


def test_json_lists_every_source_tried(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = _run(capsys, f"{SITE}/?fbclid=Iw", "--json")
    report = json.loads("\n".join(lines))
    assert code == 0 and report["source"] == "facebook"
    assert [s["matched"] for s in report["sources"]] == [False, True]
    assert report["shown"]["plumbing"]["pool"] == "plumbing/website"


def test_no_source_matching_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("sources:\n  ads: {type: onsite, match: {param: {gclid: '.'}}}\n"
                      "campaigns:\n  c:\n    numbers: {'(800) 555-0101': {source: ads}}\n")
    assert main(["match", "--config", str(config), f"{SITE}/"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-3:] == ["ads: no: param gclid: '.' (absent)",
                        "source: none (no onsite source matches)",
                        "c: swaps nothing (no swap_target)"]


@pytest.mark.parametrize(("args", "said"), [
    (["ftp://example.com/"], "not an http(s) URL"),
    ([f"{SITE}/", "--campaign", "nope"], "no campaign 'nope'"),
])
def test_bad_arguments_exit_2(args: list[str], said: str,
                              capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, *args)
    assert code == 2 and said in err
