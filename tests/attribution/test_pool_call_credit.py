"""A call to a pool number is credited to the visit's source before its flow runs: routing rules
on `source` and on the source's tags, conversion on tags, the stored tags and the webhooks all
see that source, as they would for a static number of it."""

from __future__ import annotations

import json
from pathlib import Path

from callserver.attribution.credited import credited
from callserver.config.loader import parse_config
from callserver.store import calls
from callserver.store.call_values import Call
from callserver.web.keys import AGI
from tests.peers.pbx import PbxCall
from tests.web.swap_support import POOL, config_text, swap_server

CREDITED = (config_text()
            .replace('targets: {sales: {dial: "PJSIP/sales@pbx"}}',
                     'targets: {sales: {dial: "PJSIP/sales@pbx"}, '
                     'ads: {dial: "PJSIP/ads@pbx"}}\ntags: {channel: unknown, brand: acme}')
            .replace('referrer: "craigslist\\\\.org"}, touch: last}',
                     'referrer: "craigslist\\\\.org"}, touch: last, '
                     'tags: {channel: classifieds}}')
            .replace("    routing: {targets: [{target: sales}]}\n", """\
    routing:
      targets: [{target: sales}]
      rules: [{when: {source: craigslist, tags.channel: classifieds}, targets: [{target: ads}]}]
    conversion: {tags: {channel: classifieds}}
    webhooks:
      - on: [call.completed]
        url: "http://127.0.0.1:9/hook"
        body: '{"source": "{{ source.name }}", "channel": "{{ tags.channel }}"}'
""")
            .replace("fallback: \"+18005550199\",", "fallback: \"+18005550199\", "
                                                     "tags: {pool: web},"))


async def _called(server_port: int, number: str, answering: str) -> None:
    await PbxCall(server_port, number, targets={answering: "answer"}).run()


async def test_a_pool_call_routes_converts_and_reports_as_its_source(tmp_path: Path) -> None:
    async with swap_server(tmp_path, CREDITED) as server:
        visit = await server.visit(referrer="https://chicago.craigslist.org/sss/")
        assert visit["number"] == POOL[0] and visit["source"] == "craigslist"
        server.clock.advance(minutes=2)
        await _called(server.app[AGI].port, POOL[0], "ads@pbx")
        [call_id] = await server.store.read(lambda conn: [
            r[0] for r in conn.execute("SELECT id FROM calls")])
        call = await server.store.read(calls.get, call_id)
        bodies = await server.store.read(lambda conn: [
            r[0] for r in conn.execute("SELECT body FROM webhook_outbox")])

    assert isinstance(call, Call) and call.end is not None
    assert call.source == "craigslist" and call.session_id == visit["session_id"]
    assert call.end.answered_target == "ads"  # the rule on source and source tag matched
    assert call.end.converted  # conversion asked for the source's tag
    assert dict(call.tags) == {"channel": "classifieds", "brand": "acme", "pool": "web"}
    assert [json.loads(b) for b in bodies] == [{"source": "craigslist", "channel": "classifieds"}]


async def test_a_pool_call_with_no_session_keeps_the_pools_own_settings(tmp_path: Path) -> None:
    async with swap_server(tmp_path, CREDITED) as server:
        await _called(server.app[AGI].port, POOL[3], "sales@pbx")
        [call] = await server.store.read(lambda conn: [
            calls.get(conn, r[0]) for r in conn.execute("SELECT id FROM calls")])

    assert isinstance(call, Call) and call.end is not None
    assert call.source is None and call.end.answered_target == "sales"
    assert not call.end.converted
    assert dict(call.tags) == {"channel": "unknown", "brand": "acme", "pool": "web"}


def test_a_credited_pool_call_keeps_the_pool_s_sub_id(tmp_path: Path) -> None:
    text = config_text().replace('fallback: "+18005550199",',
                                 'fallback: "+18005550199", sub_id: partner-7,')
    config = parse_config(text, "t.yaml", tmp_path / "t.yaml")
    view = config.lookup(POOL[0])
    assert view is not None
    out = credited(config, view, "craigslist")
    assert (out.source, out.sub_id, out.tags["sub_id"]) == ("craigslist", "partner-7",
                                                            "partner-7")
