"""Preset sources: one line per common channel, matched as a hand-written source would be."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from callserver.attribution.sources import first_match, source_rules
from callserver.attribution.visit import visit_of
from callserver.config.loader import parse_config
from callserver.config.resolve import ResolvedConfig
from callserver.config.schema.sources import Source
from callserver.config.source_presets import PRESETS, PresetName

YAML = """
targets: {sales: {dial: "PJSIP/sales@pbx"}}
sources:
  adwords: {preset: google_ads, name: Google Ads, description: "Search campaigns"}
  bing-ads: {preset: microsoft_ads}
  fb-ads: {preset: facebook_ads}
  google: {preset: google_organic}
  bing: {preset: bing_organic}
  search: {preset: organic_search}
  social: {preset: social}
  referral: {preset: referral}
  direct: {preset: direct}
  yelp: {type: onsite, position: 70, match: {referrer: "(^|\\\\.)yelp\\\\.com/"}}
  tv: {preset: tv}
campaigns:
  spring:
    routing: {targets: [{target: sales}]}
    numbers: {"+18005550102": {source: tv}}
"""
SITE = "https://www.example.com/"


def _config(text: str = YAML) -> ResolvedConfig:
    return parse_config(text, "presets.yaml", Path("/nonexistent/presets.yaml"))


def test_every_preset_name_has_a_preset_that_validates() -> None:
    assert set(PRESETS) == set(get_args(PresetName))
    for name in PRESETS:
        Source.model_validate({"preset": name})


@pytest.mark.parametrize(("url", "referrer", "expected"), [
    (f"{SITE}?gclid=Cj0KCQ", "https://www.google.com/", "adwords"),
    (f"{SITE}?msclkid=abc", "https://www.bing.com/", "bing-ads"),
    (f"{SITE}?fbclid=IwAR", "https://m.facebook.com/", "fb-ads"),
    (SITE, "https://www.google.co.uk/", "google"),
    (SITE, "https://www.bing.com/search?q=plumber", "bing"),
    (SITE, "https://duckduckgo.com/", "search"),
    (SITE, "https://www.facebook.com/somepage", "social"),
    (SITE, "https://t.co/abc", "social"),
    (SITE, "https://www.yelp.com/biz/acme", "yelp"),
    (SITE, "https://blog.example.org/review", "referral"),
    (SITE, "", "direct"),
])
def test_presets_match_their_channel_in_position_order(url: str, referrer: str,
                                                        expected: str) -> None:
    config = _config()
    assert first_match(source_rules(config.onsite_sources), visit_of(url, referrer)) == expected


def test_a_sources_own_fields_replace_its_presets() -> None:
    model = _config().model
    assert model.sources["adwords"].name == "Google Ads"
    assert model.sources["adwords"].tags == {"channel": "search-paid"}
    assert model.sources["tv"].type == "offsite"
    own = _config(YAML.replace("{preset: direct}",
                               "{preset: direct, position: 1, tags: {via: typed}}")).model
    assert (own.sources["direct"].position, own.sources["direct"].tags) == (1, {"via": "typed"})
