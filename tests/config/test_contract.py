"""The config contract of DESIGN.md: its own sample loads, and every field means what it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from callserver.config.loader import parse_config
from callserver.config.resolve import ResolvedConfig

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def design() -> ResolvedConfig:
    text = (ROOT / "docs" / "DESIGN.md").read_text()
    sample = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert sample is not None
    return parse_config(sample.group(1), "design.yaml", ROOT / "docs" / "design.yaml")


def test_top_level_fields(design: ResolvedConfig) -> None:
    model = design.model
    assert model.timezone == "America/New_York"
    assert model.trunk == "PJSIP/{number}@carrier" and model.numbers_cooling_off_days == 90
    assert design.schedules["office"].timezone == "America/Chicago"
    assert {"sales", "tvdesk", "buyer"} == set(model.targets)
    assert model.targets["tvdesk"].number == "+13125550111"
    assert model.publishers["acme"].name == "Acme Media"
    assert [n for n, _ in design.onsite_sources] == ["google-ads", "craigslist", "web-search",
                                                     "direct"]
    assert model.sources["tv"].type == "offsite"


def test_campaign_fields(design: ResolvedConfig) -> None:
    spring = design.campaign("spring")
    assert spring.swap_target == "+18005550100"
    assert spring.routing.strategy == "priority" and spring.routing.ring_timeout == 20
    assert spring.prompts.greeting == "welcome" and spring.ivr is not None
    assert set(spring.ivr.options) == {"1", "2"}
    assert spring.conversion.min_duration == 90
    assert spring.webhooks[0].on == ["call.completed"]
    assert spring.schedule == "office" and spring.caps.day == 200


def test_numbers_and_pools(design: ResolvedConfig) -> None:
    static = design.lookup("+18005550101")
    assert static is not None
    assert (static.source, static.publisher, static.sub_id) == ("google-ads", "acme", "a1")
    assert static.tags["channel"] == "search" and static.kind == "toll-free"
    unlocked = design.lookup("+18005550102")
    assert unlocked is not None
    assert unlocked.unlocked == {"routing"}
    assert [t.target for t in unlocked.routing.targets] == ["tvdesk"]
    pool = design.campaign("spring").pools["website"]
    assert pool.sources == ["google-ads", "craigslist", "web-search"]
    assert (pool.session_timeout, pool.fallback) == (1800, "+18005550199")
    pooled = [design.lookup(n) for n in pool.numbers]
    assert [v.pool if v is not None else None for v in pooled] == ["website", "website"]


UNLOCKS = """
targets: {a: {dial: "PJSIP/a@pbx"}}
campaigns:
  c:
    routing: {targets: [{target: a}]}
    prompts: {greeting: welcome}
    conversion: {min_duration: 90}
    webhooks: [{on: call.completed, url: "https://crm.example/hook"}]
    numbers:
      "312 555 0101": {}
      "312 555 0102": {unlock: {conversion: {min_duration: 30}, webhooks: []}}
    pools:
      p: {numbers: ["312 555 0110"], fallback: "312 555 0119"}
    swap_target: "312 555 0100"
    sites: ["https://www.example.com"]
"""


def test_unlocking_conversion_and_webhooks_leaves_routing_and_prompts_inherited(
        tmp_path: Path) -> None:
    config = parse_config(UNLOCKS, "t.yaml", tmp_path / "t.yaml")
    campaign = config.campaign("c")
    plain, unlocked = config.lookup("+13125550101"), config.lookup("+13125550102")
    assert plain is not None and unlocked is not None
    assert plain.conversion is campaign.conversion and len(plain.webhooks) == 1
    assert unlocked.unlocked == {"conversion", "webhooks"}
    assert unlocked.conversion.min_duration == 30
    assert unlocked.webhooks == ()  # an empty list unlocks to no webhooks, not the campaign's
    assert unlocked.routing is campaign.routing and unlocked.prompts is campaign.prompts
    assert (plain.kind, unlocked.kind) == ("local", "local")


def test_pool_and_fallback_numbers_inherit_their_pools_campaign(tmp_path: Path) -> None:
    config = parse_config(UNLOCKS, "t.yaml", tmp_path / "t.yaml")
    campaign = config.campaign("c")
    for number, role in (("+13125550110", "pool"), ("(312) 555-0119", "fallback")):
        view = config.lookup(number)
        assert view is not None
        assert (view.campaign, view.pool, view.role) == ("c", "p", role)
        assert view.routing is campaign.routing and view.conversion is campaign.conversion
        assert view.prompts is campaign.prompts and len(view.webhooks) == 1
