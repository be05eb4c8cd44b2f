"""A visit leases a pool number, then the visitor calls it over FastAGI: the call row carries
the session, its source and the merge decision, and its webhooks carry the session's data."""

from __future__ import annotations

import json
from pathlib import Path

from callserver.store import calls, lease_reads, outbox
from callserver.store.call_values import Call
from callserver.store.delivery_values import Delivery
from callserver.web.keys import AGI
from tests.peers.pbx import PbxCall
from tests.web.swap_support import POOL, SITE, SwapServer, config_text, swap_server

HOOKS = """
    webhooks:
      - on: [call.started, call.answered, call.completed, call.converted]
        url: "http://127.0.0.1:9/hook?source={{ source.name }}"
        body: '{"gclid": "{{ session.gclid }}", "crm": {{ crm | tojson }}}'
"""


def _config(release_after_call: bool = False) -> str:
    text = config_text().replace("    numbers:\n", HOOKS + "    numbers:\n", 1)
    if release_after_call:
        text = text.replace("session_timeout: 1800,", "session_timeout: 1800, "
                            "release_after_call: true,")
    return text


async def _call(server: SwapServer, number: str) -> Call:
    await PbxCall(server.app[AGI].port, number, targets={"sales@pbx": "answer"}).run()
    ids = await server.store.read(lambda conn: [r[0] for r in conn.execute(
        "SELECT id FROM calls ORDER BY started_at DESC, id LIMIT 1")])
    call = await server.store.read(calls.get, ids[0])
    assert call is not None
    return call


async def _deliveries(server: SwapServer, call_id: str) -> list[Delivery]:
    ids = await server.store.read(lambda conn: [r[0] for r in conn.execute(
        "SELECT id FROM webhook_outbox WHERE call_id = ? ORDER BY rowid", (call_id,))])
    found = [await server.store.read(outbox.get, i) for i in ids]
    return [d for d in found if d is not None]


async def test_a_call_to_a_leased_number_carries_its_session(tmp_path: Path) -> None:
    async with swap_server(tmp_path, _config()) as server:
        visit = await server.visit(url=f"{SITE}/?gclid=g-1", cookies={"_biz_uid": "biz-9"})
        assert visit["number"] == POOL[0]
        server.clock.advance(minutes=5)
        call = await _call(server, POOL[0])
        deliveries = await _deliveries(server, call.id)

    assert (call.session_id, call.source, call.merged) == (visit["session_id"], "direct", True)
    assert call.attribution == "leased to the session at the call"
    assert [d.event for d in deliveries] == [
        "call.started", "call.answered", "call.completed", "call.converted"]
    assert all(d.url.endswith("?source=direct") for d in deliveries)
    body = json.loads(deliveries[2].body)
    assert body["gclid"] == "g-1"
    assert (body["crm"]["bizible_id"], body["crm"]["merged"], body["crm"]["type"]) == (
        "biz-9", True, "Call")


async def test_a_session_older_than_the_merge_window_is_attributed_unmerged(
        tmp_path: Path) -> None:
    async with swap_server(tmp_path, _config()) as server:
        visit = await server.visit()
        for _ in range(2):  # the page stays open, renewing its lease
            server.clock.advance(minutes=25)
            await server.visit(visit["visitor_id"])
        server.clock.advance(minutes=5)
        call = await _call(server, visit["number"])
        [_, _, completed, _] = await _deliveries(server, call.id)

    assert call.session_id == visit["session_id"] and not call.merged
    assert "55 min before the call" in (call.attribution or "")
    assert json.loads(completed.body)["crm"] is None  # no marketing id was captured


async def test_a_static_number_is_attributed_to_its_source_without_a_session(
        tmp_path: Path) -> None:
    async with swap_server(tmp_path, _config()) as server:
        await server.visit(url=f"{SITE}/?utm_source=google")
        call = await _call(server, "+18005550101")
    assert (call.session_id, call.source) == (None, "google-ads")
    assert call.attribution == "static number of source google-ads"


async def test_the_lease_returns_when_the_call_ends_only_if_the_pool_says_so(
        tmp_path: Path) -> None:
    for release, held in ((False, True), (True, False)):
        (tmp_path / str(release)).mkdir()
        async with swap_server(tmp_path / str(release), _config(release)) as server:
            visit = await server.visit()
            call = await _call(server, visit["number"])
            lease = await server.store.read(lease_reads.get, visit["number"])
        assert lease is not None and call.end is not None
        assert (lease.expires_at > call.end.ended_at) is held
