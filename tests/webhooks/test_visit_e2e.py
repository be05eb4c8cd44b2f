"""A visit through the real swap endpoint, then a real FastAGI call to the number it leased:
the webhook sees the visit as the store keeps it (the IP as `privacy` cut it), and GA4 gets
the `phone_call` hit and, the call converting, the campaign's `converted_event` hit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callserver.store import outbox
from callserver.store.delivery_values import Delivery, DeliveryKind
from callserver.web.keys import AGI
from tests.peers.pbx import PbxCall
from tests.web.swap_support import BROWSER, SITE, START, SwapServer, config_text, swap_server

CAMPAIGN = """
    analytics: {ga4: {measurement_id: G-TEST123, api_secret_env: GA4_SECRET,
                      converted_event: qualified_call}}
    webhooks:
      - on: call.completed
        url: "http://127.0.0.1:9/hook"
        body: '{{ session | tojson }}'
"""


def _config() -> str:
    text = config_text(extra="privacy: {ip: truncate}\n")
    return text.replace("    numbers:\n", CAMPAIGN + "    numbers:\n", 1)


async def _deliveries(server: SwapServer) -> list[Delivery]:
    ids = await server.store.read(lambda conn: [r[0] for r in conn.execute(
        "SELECT id FROM webhook_outbox ORDER BY rowid")])
    found = [await server.store.read(outbox.get, i) for i in ids]
    return [d for d in found if d is not None]


async def test_a_call_sends_its_visit_as_stored(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLSERVER_GA4_ENDPOINT", "http://127.0.0.1:9")
    async with swap_server(tmp_path, _config()) as server:
        landing = f"{SITE}/pricing?utm_term=plumber&utm_content=ad-1#top"
        visit = await server.visit(url=landing, referrer="https://chicago.craigslist.org/",
                                   ip="203.0.113.7")
        server.clock.advance(minutes=3, seconds=20.6)
        await server.visit(visit["visitor_id"], ip="203.0.113.7")
        server.clock.advance(minutes=1)
        await PbxCall(server.app[AGI].port, visit["number"],
                      targets={"sales@pbx": "answer"}).run()
        deliveries = await _deliveries(server)

    hook = next(d for d in deliveries if d.kind is not DeliveryKind.GA4)
    tokens = json.loads(hook.body)
    assert (tokens["ip"], tokens["user_agent"]) == ("203.0.113.0/24", BROWSER)
    assert tokens["first_seen"] == START.isoformat().replace("+00:00", "Z")
    assert tokens["last_seen"] == "2026-03-02T15:03:20Z"
    assert tokens["duration_s"] == 200  # 3 min 20.6 s, in whole seconds

    hits = [(d.event, json.loads(d.body)["events"]) for d in deliveries
            if d.kind is DeliveryKind.GA4]
    assert [(event, [e["name"] for e in events]) for event, events in hits] == [
        ("call.completed", ["phone_call"]), ("call.converted", ["qualified_call"])]
    params = hits[1][1][0]["params"]
    assert (params["term"], params["content"], params["landing_page"], params["converted"]) == (
        "plumber", "ad-1", f"{SITE}/pricing", 1)
