"""The resolved config answers what applies to a call to a number, with inheritance and unlock."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from callserver.config.loader import load_config, parse_config
from callserver.config.resolve import ResolvedConfig

DEMO = Path(__file__).parents[2] / "examples" / "demo.yaml"


@pytest.fixture(scope="module")
def demo() -> ResolvedConfig:
    return load_config(DEMO)


def test_lookup_accepts_any_spelling(demo: ResolvedConfig) -> None:
    spellings = ["+18005550101", "(800) 555-0101", "800.555.0101", "1-800-555-0101",
                 "+1 800 555 0101", "8005550101"]
    views = {id(demo.lookup(s)) for s in spellings}
    assert len(views) == 1
    view = demo.lookup("8005550101")
    assert view is not None and view.number == "+18005550101"
    assert demo.lookup("+19995550000") is None
    assert demo.lookup("not a number") is None


def test_number_facts(demo: ResolvedConfig) -> None:
    toll_free = demo.lookup("+18005550101")
    local = demo.lookup("+13125550110")
    assert toll_free is not None and local is not None
    assert (toll_free.kind, toll_free.region) == ("toll-free", "")
    assert (local.kind, local.country) == ("local", "US")
    assert "IL" in local.region


def test_static_number_inherits_campaign(demo: ResolvedConfig) -> None:
    view = demo.lookup("+18005550101")
    campaign = demo.campaign("plumbing")
    assert view is not None
    assert view.campaign == "plumbing" and view.source == "google-ads"
    assert view.routing is campaign.routing
    assert view.prompts is campaign.prompts
    assert view.conversion is campaign.conversion
    assert view.webhooks == tuple(campaign.webhooks)
    assert view.unlocked == frozenset()
    assert view.schedule == "office"
    assert dict(view.tags) == {"brand": "demo", "channel": "search-paid", "ad_group": "emergency"}


def test_unlock_replaces_only_what_it_names(demo: ResolvedConfig) -> None:
    view = demo.lookup("800-555-0102")
    campaign = demo.campaign("plumbing")
    assert view is not None
    assert view.unlocked == frozenset({"routing", "prompts"})
    assert view.routing.strategy == "simultaneous" and view.routing.ring_timeout == 25
    assert view.prompts.greeting == "tv-offer"
    assert view.conversion is campaign.conversion
    assert view.webhooks == tuple(campaign.webhooks)
    assert view.tags["channel"] == "tv"


def test_publisher_and_sub_id(demo: ResolvedConfig) -> None:
    view = demo.lookup("+18885550105")
    assert view is not None
    assert (view.publisher, view.sub_id, view.campaign) == ("metro-media", "mm-radio", "insurance")
    assert view.tags["sub_id"] == "mm-radio"
    assert view.caps.day == 40


def test_pool_numbers_inherit_the_pool_campaign(demo: ResolvedConfig) -> None:
    view = demo.lookup("(312) 555-0112")
    assert view is not None
    assert (view.role, view.pool, view.campaign, view.source) == ("pool", "website",
                                                                   "plumbing", None)
    assert view.routing is demo.campaign("plumbing").routing
    fallback = demo.lookup("+13125550199")
    assert fallback is not None
    assert (fallback.role, fallback.pool) == ("fallback", "website")
    pool = demo.campaign("plumbing").pools["website"]
    assert pool.session_timeout == 1800
    assert pool.numbers[0] == "+13125550110"


def test_session_timeout_defaults_to_1800(tmp_path: Path) -> None:
    text = """
sources: {web: {type: onsite, match: {always: true}}}
campaigns:
  c: {pools: {p: {sources: [web], numbers: ["800 555 0110"]}}, swap_target: "800 555 0100",
      sites: ["https://www.example.com"]}
"""
    config = parse_config(text, "t.yaml", tmp_path / "t.yaml")
    assert config.campaign("c").pools["p"].session_timeout == 1800


def test_resolved_config_is_immutable(demo: ResolvedConfig) -> None:
    view = demo.lookup("+18005550101")
    assert view is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.campaign = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        demo.numbers["+10000000000"] = view  # type: ignore[index]
    with pytest.raises(TypeError):
        view.tags["x"] = "y"  # type: ignore[index]
    with pytest.raises(Exception, match="frozen"):
        demo.campaign("plumbing").routing.ring_timeout = 5  # type: ignore[misc]


def test_onsite_sources_in_position_order(demo: ResolvedConfig) -> None:
    names = [name for name, _ in demo.onsite_sources]
    assert names == ["google-ads", "facebook", "yelp", "organic", "direct", "website"]


def test_schedules_are_built(demo: ResolvedConfig) -> None:
    office = demo.schedules["office"]
    assert office.timezone == "America/Chicago"
    assert demo.schedules["night-desk"].timezone == "America/New_York"


def test_prompts_resolve_to_paths_without_extension(demo: ResolvedConfig) -> None:
    path = demo.prompts.find("welcome")
    assert path is not None and path.suffix == "" and path.with_suffix(".wav").is_file()


def test_number_record_setting_wins_over_the_campaign(demo: ResolvedConfig) -> None:
    assert demo.campaign("plumbing").record is True
    recorded, unrecorded, pooled = (demo.lookup(n) for n in
                                    ("+18005550101", "+18005550103", "+13125550110"))
    assert recorded is not None and recorded.record is True
    assert unrecorded is not None and unrecorded.record is False
    assert pooled is not None and pooled.record is True


POOL_OWN = """
timezone: America/Chicago
schedules:
  office: {open: {daily: "24h"}}
  partner-hours: {open: {mon-fri: "08:00-20:00"}}
targets:
  sales: {dial: "PJSIP/sales@pbx"}
  partner-desk: {dial: "PJSIP/partner@pbx"}
sources:
  partner-site: {type: onsite, match: {param: {utm_source: partner}}}
  web: {type: onsite, match: {always: true}}
campaigns:
  c:
    schedule: office
    routing: {targets: [{target: sales}]}
    webhooks: [{on: call.completed, url: "https://crm.example.com/c"}]
    swap_target: "800 555 0100"
    sites: ["https://www.example.com"]
    pools:
      partner:
        sources: [partner-site]
        numbers: ["800 555 0110", "800 555 0111"]
        fallback: "800 555 0119"
        sub_id: p-7
        tags: {channel: partner}
        schedule: partner-hours
        caps: {day: 30}
        record: true
        unlock:
          routing: {strategy: round_robin, targets: [{target: partner-desk}]}
          conversion: {min_duration: 90}
          webhooks: []
      plain: {sources: [web], numbers: ["800 555 0120"]}
"""


def test_pool_numbers_and_fallback_follow_the_pool_own_settings(tmp_path: Path) -> None:
    config = parse_config(POOL_OWN, "t.yaml", tmp_path / "t.yaml")
    pool = config.campaign("c").pools["partner"]
    for number, role in (("+18005550110", "pool"), ("+18005550111", "pool"),
                         ("+18005550119", "fallback")):
        view = config.lookup(number)
        assert view is not None and (view.role, view.pool) == (role, "partner")
        assert (view.sub_id, view.tags["sub_id"], view.tags["channel"]) == ("p-7", "p-7",
                                                                             "partner")
        assert (view.schedule, view.caps.day, view.record) == ("partner-hours", 30, True)
        assert view.routing is pool.unlock.routing
        assert view.routing.strategy == "round_robin"
        assert view.conversion.min_duration == 90
        assert view.webhooks == ()
        assert view.prompts is config.campaign("c").prompts
        assert view.unlocked == frozenset({"routing", "conversion", "webhooks"})


def test_pool_without_settings_keeps_the_campaign(tmp_path: Path) -> None:
    config = parse_config(POOL_OWN, "t.yaml", tmp_path / "t.yaml")
    view, campaign = config.lookup("+18005550120"), config.campaign("c")
    assert view is not None
    assert (view.schedule, view.sub_id, view.record, view.unlocked) == ("office", None, False,
                                                                        frozenset())
    assert view.routing is campaign.routing and view.webhooks == tuple(campaign.webhooks)
    assert view.caps.day is None
