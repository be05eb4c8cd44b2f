"""What the session token, the CRM touch and the GA4 hits carry of a call's web visit, sent to
a real receiver: every session key with or without a visit, the campaign's own marketing-id
cookie, the converted event, and GA4 values cut to its 100 characters."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from callserver.config.errors import ConfigError
from callserver.config.resolve import ResolvedConfig
from tests.webhooks.conftest import CONFIG, NOW, World, session

HUBSPOT = CONFIG.replace("capture_cookies: [_biz_uid, _ga]",
                         "capture_cookies: [_biz_uid, hubspotutk, _ga]").replace(
    "analytics: {ga4: {measurement_id: G-TEST123, api_secret_env: GA4_SECRET}}",
    "analytics: {crm_id_cookie: hubspotutk, ga4: {measurement_id: G-TEST123, "
    "api_secret_env: GA4_SECRET, converted_event: qualified_call}}")


async def _sent(world: World, http: aiohttp.ClientSession, path: str) -> list[Any]:
    await world.worker(http).run_once()
    return [json.loads(r.body) for r in world.receiver.at(path)]


async def test_the_session_token_has_every_key_with_or_without_a_visit(
        world: World, http: aiohttp.ClientSession) -> None:
    visit = replace(session(NOW - timedelta(minutes=5, seconds=7.9)), ip="203.0.113.0/24",
                    user_agent="Mozilla/5.0 (X11)")
    await world.record(world.call(), "call.completed", visit)
    await world.record(replace(world.call("+18005550102"), id="bare"), "call.completed")
    ((with_visit, _),) = [(d["data"]["session"], 0) for d in await _sent(world, http, "/hook")]
    without = next(json.loads(r.body)["data"]["session"] for r in world.receiver.at("/tv"))
    assert (with_visit["ip"], with_visit["user_agent"]) == ("203.0.113.0/24", "Mozilla/5.0 (X11)")
    assert with_visit["last_seen"] == "2026-03-02T15:00:00Z"
    assert with_visit["duration_s"] == 307  # 5 min 7.9 s, in whole seconds
    assert list(without) == list(with_visit)
    assert without == dict.fromkeys(with_visit) | {"cookies": {}, "captured": {}}


async def test_the_crm_touch_reads_the_campaigns_id_cookie(
        world: World, http: aiohttp.ClientSession,
        write_config: Callable[[str], ResolvedConfig]) -> None:
    await world.record(replace(world.call(), id="bizible"), "call.completed",
                       session(_biz_uid="biz-1", hubspotutk="hs-1"))
    world.config = write_config(HUBSPOT)
    await world.record(replace(world.call(), id="hubspot"), "call.completed",
                       session(_biz_uid="biz-1", hubspotutk="hs-1"))
    await world.record(replace(world.call(), id="bizible-only"), "call.completed",
                       session(_biz_uid="biz-1"))
    by_call = {d["data"]["call"]["id"]: d["data"]["crm"] for d in await _sent(world, http,
                                                                              "/hook")}
    assert by_call["bizible-only"] is None  # the campaign reads hubspotutk now
    ids = {name: (crm["id_cookie"], crm["marketing_id"], crm["bizible_id"])
           for name, crm in by_call.items() if crm is not None}
    assert ids == {"bizible": ("_biz_uid", "biz-1", "biz-1"),
                   "hubspot": ("hubspotutk", "hs-1", "hs-1")}


def test_check_renders_templates_with_the_campaigns_id_cookie(
        write_config: Callable[[str], ResolvedConfig]) -> None:
    strict = HUBSPOT.replace('url: "BASE/hook"', 'url: "BASE/hook?id={{ crm.marketing_id }}"')
    assert write_config(strict).model.campaigns["spring"].analytics.crm_id_cookie == "hubspotutk"


def test_check_refuses_an_id_cookie_the_campaign_does_not_capture(
        write_config: Callable[[str], ResolvedConfig]) -> None:
    text = HUBSPOT.replace("[_biz_uid, hubspotutk, _ga]", "[_biz_uid, _ga]")
    with pytest.raises(ConfigError) as raised:
        write_config(text)
    (issue,) = raised.value.issues
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "crm_id_cookie" in s)
    assert (issue.line, issue.path) == (line, "campaigns.spring.analytics.crm_id_cookie")
    assert "'hubspotutk' is not in the campaign's `capture_cookies`" in issue.message


@pytest.mark.parametrize(("name", "says"), [
    ("qualified-call", "a letter, then letters, digits or '_'"), ("x" * 41, "40 at most"),
    ("google_call", "GA4 reserves"), ("phone_call", "name the converted one apart")])
def test_check_refuses_a_converted_event_ga4_would_not_take(
        write_config: Callable[[str], ResolvedConfig], name: str, says: str) -> None:
    with pytest.raises(ConfigError) as raised:
        write_config(HUBSPOT.replace("converted_event: qualified_call", f"converted_event: {name}"))
    (issue,) = raised.value.issues
    assert issue.path == "campaigns.spring.analytics.ga4.converted_event" and says in issue.message


async def test_a_converted_call_is_also_the_campaigns_converted_event(
        world: World, http: aiohttp.ClientSession,
        write_config: Callable[[str], ResolvedConfig]) -> None:
    await world.record(replace(world.call(), id="before"), "call.converted", session())
    world.config = write_config(HUBSPOT)
    for event in ("call.completed", "call.converted"):
        await world.record(world.call(), event, session())
    # Two deliveries sent side by side: the receiver may take them in either order.
    hits = sorted(await _sent(world, http, "/mp/collect"), key=lambda h: h["events"][0]["name"])
    assert [e["name"] for hit in hits for e in hit["events"]] == ["phone_call", "qualified_call"]
    assert hits[0]["client_id"] == hits[1]["client_id"]
    assert hits[0]["events"][0]["params"] == hits[1]["events"][0]["params"]


async def test_ga4_sends_term_content_and_landing_page_cut_to_100_characters(
        world: World, http: aiohttp.ClientSession) -> None:
    page = "https://www.example.com/" + "p" * 120
    visit = replace(session(), landing_url=f"{page}?gclid=abc#top", utm_content="c" * 150,
                    utm_campaign="spring-" + "x" * 100)
    await world.record(world.call(), "call.completed", visit)
    (hit,) = await _sent(world, http, "/mp/collect")
    params = hit["events"][0]["params"]
    assert (params["term"], params["content"]) == ("plumber", "c" * 100)
    assert params["landing_page"] == page[:100]
    assert params["campaign"] == ("spring-" + "x" * 100)[:100]
    assert all(len(v) <= 100 for v in params.values() if isinstance(v, str))
