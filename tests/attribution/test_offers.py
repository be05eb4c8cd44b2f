"""What a source is shown in a campaign, and which session a page view continues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from callserver.attribution.offers import PoolOffer, StaticOffer, campaign_swaps, pool_numbers
from callserver.attribution.session_plan import plan_session
from callserver.attribution.visit import visit_of
from tests.attribution.support import config

SWAPS = campaign_swaps(config())
SPRING = SWAPS["spring"]
ADS = PoolOffer("spring/ads", timedelta(seconds=600), None)
REST = PoolOffer("spring/rest", timedelta(seconds=1200), "+13125550199")
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def test_static_numbers_then_listed_pools_then_the_catch_all() -> None:
    assert SPRING.offer("google-ads") == StaticOffer("+18005550101")
    assert SPRING.offer("craigslist") == SPRING.offer("fb-landing") == ADS
    assert SPRING.offer("organic") == SPRING.offer(None) == REST
    assert SPRING.offer("website") == PoolOffer("spring/more", timedelta(minutes=30), None)
    assert SWAPS["quiet"].offer("organic") is None


def test_who_may_not_lease_sees_the_fallback_else_the_pages_own_number() -> None:
    assert SPRING.shown_without_lease(REST) == "+13125550199"
    assert SPRING.shown_without_lease(ADS) == "+18005550100"
    assert SPRING.shown_without_lease(StaticOffer("+18005550101")) == "+18005550101"
    assert SWAPS["quiet"].shown_without_lease(None) is None


def test_sites_become_origins_and_pools_get_store_keys() -> None:
    assert SPRING.origins == {"https://www.example.com", "http://shop.example.com:8080"}
    assert pool_numbers(config()) == {"spring/ads": ("+13125550110",),
                                      "spring/rest": ("+13125550111",),
                                      "spring/more": ("+13125550112",)}


@dataclass(frozen=True)
class Prior:
    session_id: str = "s-old"
    source: str | None = "organic"
    pool: str | None = "spring/rest"
    number: str | None = "+13125550111"
    last_seen: datetime = NOW - timedelta(seconds=1199)


def test_a_page_view_within_the_pools_timeout_continues_the_session() -> None:
    plan = plan_session(SPRING, visit_of("https://www.example.com/b", "https://www.example.com/"),
                        "website", Prior(), NOW, "s-new")
    assert (plan.session_id, plan.new, plan.source, plan.give_back) == (
        "s-old", False, "organic", None)
    assert not plan.retouched and not plan.inherits  # it keeps what it landed with


def test_after_the_timeout_a_new_session_keeps_the_first_touch_source() -> None:
    plan = plan_session(SPRING, visit_of("https://www.example.com/", ""), "direct",
                        Prior(last_seen=NOW - timedelta(seconds=1200)), NOW, "s-new")
    assert (plan.session_id, plan.new, plan.source, plan.offer) == ("s-new", True, "organic", REST)
    assert plan.inherits  # and the touch that earned it: its UTM tags and click ids


def test_a_new_session_matched_afresh_to_its_old_source_keeps_its_own_touch() -> None:
    plan = plan_session(SPRING, visit_of("https://www.example.com/", "https://www.google.com/"),
                        "organic", Prior(last_seen=NOW - timedelta(seconds=1200)), NOW, "s-new")
    assert plan.new and plan.source == "organic" and not plan.inherits


def test_a_new_session_of_a_visitor_never_credited_inherits_nothing() -> None:
    plan = plan_session(SPRING, visit_of("https://www.example.com/", "https://n.example.org/"),
                        None, Prior(source=None, last_seen=NOW - timedelta(hours=1)), NOW, "s")
    assert plan.source is None and not plan.inherits


def test_a_session_moved_to_another_pool_gives_its_number_back() -> None:
    plan = plan_session(SPRING, visit_of("https://www.example.com/", "https://craigslist.org/"),
                        "craigslist", Prior(), NOW, "s-new")
    assert (plan.session_id, plan.source, plan.offer) == ("s-old", "craigslist", ADS)
    assert plan.give_back == "+13125550111"
    assert plan.retouched  # last touch: this visit's data replaces the session's
