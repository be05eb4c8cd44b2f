"""Source matching by position over every mode, and first/last touch."""

from __future__ import annotations

from pathlib import Path

import pytest

from callserver.attribution.sources import first_match, is_search, source_rules
from callserver.attribution.touch import credited_source
from callserver.attribution.visit import origin, visit_of
from callserver.config.loader import parse_config
from tests.attribution.support import YAML, config

SOURCES = config().onsite_sources
RULES = source_rules(SOURCES)
SITE = "https://www.example.com"
TOUCH = {"google-ads": "last", "craigslist": "last", "organic": "first", "direct": "first"}


@pytest.mark.parametrize(("url", "referrer", "source"), [
    (f"{SITE}/?utm_source=google&gclid=1", "https://www.google.com/", "google-ads"),
    (f"{SITE}/?utm_source=googleplex", "", "direct"),
    (f"{SITE}/?fbclid=Iw1", "https://l.facebook.com/", "fb-landing"),
    (f"{SITE}/", "https://chicago.craigslist.org/sss/1.html", "craigslist"),
    (f"{SITE}/", "https://www.google.co.uk/search?q=plumber", "organic"),
    (f"{SITE}/", "https://duckduckgo.com/", "organic"),
    (f"{SITE}/", "https://search.brave.com/search?q=x", "organic"),
    (f"{SITE}/", "https://googleblog.example.org/", "referral"),
    (f"{SITE}/", "", "direct"),
])
def test_the_first_source_by_position_whose_match_holds(url: str, referrer: str,
                                                        source: str) -> None:
    assert first_match(RULES, visit_of(url, referrer)) == source


@pytest.mark.parametrize(("url", "referrer"), [
    (f"{SITE}/?utm_source=Google", "https://www.google.com/"),
    (f"{SITE}/?utm_source=GOOGLE", ""),
])
def test_parameter_values_match_whatever_their_case(url: str, referrer: str) -> None:
    assert first_match(RULES, visit_of(url, referrer)) == "google-ads"


def test_referrers_and_landing_pages_match_whatever_their_case() -> None:
    assert first_match(RULES, visit_of(f"{SITE}/", "https://Chicago.CraigsList.ORG/")) == (
        "craigslist")
    assert first_match(RULES, visit_of(f"{SITE}/?FBCLID=Iw1", "https://l.facebook.com/")) == (
        "fb-landing")


def test_a_pattern_may_ask_to_tell_case_apart() -> None:
    text = YAML.replace('utm_source: "^google$"', 'utm_source: "(?-i:^google$)"')
    rules = source_rules(parse_config(text, "t.yaml", Path("/nonexistent/t.yaml")).onsite_sources)
    assert first_match(rules, visit_of(f"{SITE}/?utm_source=google", "")) == "google-ads"
    assert first_match(rules, visit_of(f"{SITE}/?utm_source=Google", "")) == "direct"


def test_always_matches_what_nothing_else_does() -> None:
    only_always = tuple((n, r) for n, r in RULES if n in ("craigslist", "website"))
    assert first_match(only_always, visit_of(f"{SITE}/", "")) == "website"
    assert first_match(RULES[:3], visit_of(f"{SITE}/", "")) is None


def test_offsite_sources_never_take_part() -> None:
    assert "tv" not in {name for name, _ in SOURCES}
    assert [name for name, _ in SOURCES][:2] == ["google-ads", "fb-landing"]


def test_search_engines_are_known_by_host_not_by_path() -> None:
    assert is_search("https://www.bing.com/search?q=a")
    assert is_search("https://yandex.ru/")
    assert not is_search("https://example.com/google.com")
    assert not is_search("")


@pytest.mark.parametrize(("matched", "previous", "internal", "credited"), [
    ("organic", None, False, "organic"),  # a first visit takes what matched
    ("direct", "organic", False, "organic"),  # first touch: the original source stays
    ("craigslist", "organic", False, "craigslist"),  # last touch takes the credit over
    ("google-ads", "organic", True, "organic"),  # moving within the site is not a new visit
    (None, "organic", False, "organic"),
    (None, None, False, None),
])
def test_first_and_last_touch(matched: str | None, previous: str | None, internal: bool,
                              credited: str | None) -> None:
    assert credited_source(matched, previous, internal=internal, touch=TOUCH) == credited


def test_visit_keeps_the_first_value_of_each_tracked_parameter() -> None:
    visit = visit_of(f"{SITE}/?utm_source=a&utm_source=b&gclid=g&x=1&utm_term=" + "t" * 900, "")
    assert visit.tracking["utm_source"] == "a" and visit.tracking["gclid"] == "g"
    assert len(visit.tracking["utm_term"]) == 512 and "x" not in visit.tracking


@pytest.mark.parametrize(("url", "expected"), [
    ("https://WWW.Example.com:443/path?q", "https://www.example.com"),
    ("http://shop.example.com:8080/", "http://shop.example.com:8080"),
    ("http://[::1]:80/", "http://[::1]"),
    ("ftp://example.com/", ""),
    ("null", ""),
    ("http://x:99999/", ""),
])
def test_origin_is_what_browsers_send(url: str, expected: str) -> None:
    assert origin(url) == expected
