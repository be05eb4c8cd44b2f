"""What each event sends, received by a real HTTP receiver: rendered templates with every
token family, a number's unlocked webhooks, the GA4 `phone_call` hit, and the CRM hand-off."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import aiohttp

from tests.webhooks.conftest import NOW, World, session


async def _sent(world: World, http: aiohttp.ClientSession, path: str) -> list[Any]:
    await world.worker(http).run_once()
    return world.receiver.at(path)


async def test_templates_render_every_token_family(world: World,
                                                   http: aiohttp.ClientSession) -> None:
    visit = session(_biz_uid="biz-1")
    await world.record(world.call(ended=False), "call.started", visit)
    (got,) = await _sent(world, http, "/started")
    assert got.url.query["caller"] == "+13125550123"
    assert got.headers["x-campaign"] == "Spring sale"
    assert json.loads(got.body) == {"from": "+13125550123", "channel": "search",
                                    "gclid": "abc"}


async def test_the_default_body_carries_every_token(world: World,
                                                    http: aiohttp.ClientSession) -> None:
    await world.record(world.call(), "call.completed", session(_ga="GA1.1.123.456"))
    (got,) = await _sent(world, http, "/hook")
    data = json.loads(got.body)["data"]
    assert data["call"]["talk_seconds"] == 95.0 and data["call"]["converted"] is True
    assert (data["number"]["kind"], data["number"]["role"]) == ("toll-free", "static")
    assert data["campaign"]["display_name"] == "Spring sale"
    assert data["source"]["name"] == "google-ads" and data["publisher"]["name"] == "Acme Media"
    assert data["tags"] == {"channel": "search", "ad_group": "x", "sub_id": "a1"}
    assert data["sub_id"] == "a1"
    assert data["session"]["utm_term"] == "plumber"
    assert data["session"]["cookies"] == {"_ga": "GA1.1.123.456"}


async def test_a_completed_call_carries_the_money_it_earned(
        world: World, http: aiohttp.ClientSession) -> None:
    call = world.call()
    assert call.end is not None
    sold = replace(call, end=replace(call.end, revenue=25.0, payout=12.0))
    await world.record(sold, "call.completed")
    (got,) = await _sent(world, http, "/hook")
    money = json.loads(got.body)["data"]["call"]
    assert (money["revenue"], money["payout"]) == (25.0, 12.0)


async def test_a_number_that_unlocks_webhooks_fires_only_its_own(
        world: World, http: aiohttp.ClientSession) -> None:
    await world.record(world.call("+18005550102"), "call.completed")
    await world.worker(http).run_once()
    paths = sorted(r.url.path for r in world.receiver.received)
    assert paths == ["/mp/collect", "/tv"]


async def test_ga4_uses_the_visitors_client_id_and_utm_values(
        world: World, http: aiohttp.ClientSession) -> None:
    await world.record(world.call(), "call.completed", session(_ga="GA1.1.123.456"))
    (hit,) = await _sent(world, http, "/mp/collect")
    assert hit.url.query["measurement_id"] == "G-TEST123"
    assert hit.url.query["api_secret"] == "ga-api-secret"
    body = json.loads(hit.body)
    assert body["client_id"] == "123.456"
    assert body["events"] == [{"name": "phone_call", "params": {
        "source": "google", "medium": "cpc", "campaign": "spring-sale", "term": "plumber",
        "landing_page": "https://www.example.com/", "duration": 95, "converted": 1}}]


async def test_ga4_falls_back_to_the_sources_values_without_a_session(
        world: World, http: aiohttp.ClientSession) -> None:
    await world.record(world.call("+18005550102", converted=False), "call.completed")
    (hit,) = await _sent(world, http, "/mp/collect")
    body = json.loads(hit.body)
    assert body["events"][0]["params"] == {"source": "tv", "medium": "offline",
                                           "campaign": "winter-spot", "duration": 95,
                                           "converted": 0}
    assert body["client_id"].count(".") == 1  # made from the call, the same on every retry


async def test_the_crm_payload_follows_the_30_minute_rule(world: World,
                                                          http: aiohttp.ClientSession) -> None:
    young = session(NOW - timedelta(minutes=30), _biz_uid="biz-1")
    old = session(NOW - timedelta(minutes=31), _biz_uid="biz-1")
    for name, visit in (("young", young), ("old", old), ("plain", session())):
        await world.record(replace(world.call(), id=name), "call.completed", visit)
    bodies = [json.loads(r.body)["data"] for r in await _sent(world, http, "/hook")]
    by_call = {data["call"]["id"]: data["crm"] for data in bodies}
    crm = [by_call["young"], by_call["old"], by_call["plain"]]
    assert crm[2] is None  # no marketing id captured: nothing to merge with
    assert [c["merged"] for c in crm[:2]] == [True, False]
    assert crm[0] | {"merged": None} == crm[1] | {"merged": None,
                                                  "session_started_at": crm[0][
                                                      "session_started_at"]}
    assert (crm[0]["type"], crm[0]["bizible_id"], crm[0]["caller"], crm[0]["duration"]) == (
        "Call", "biz-1", "+13125550123", 95)
    assert crm[0]["channel"]["gclid"] == "abc" and crm[0]["channel"]["source"] == "google-ads"
