"""A call to a pool number is credited to the visit's source before its flow runs: routing rules
on `source` and on the source's tags, conversion on tags, the stored tags and the webhooks all
see that source, as they would for a static number of it."""

from __future__ import annotations

import json
from pathlib import Path

from callserver.attribution.credited import credited
from callserver.config.loader import parse_config
from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.store import calls, sessions
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
    out = credited(config, view, "craigslist", {})
    assert (out.source, out.sub_id, out.tags["sub_id"]) == ("craigslist", "partner-7",
                                                            "partner-7")


CAPTURING = CREDITED.replace(
    "    capture_cookies: [_biz_uid, _ga]\n",
    "    capture_cookies: [_biz_uid, _ga]\n"
    "    capture_params: {kw: tags.keyword, sid: sub_id, affid: publisher}\n",
).replace("tags: {channel: unknown, brand: acme}",
          "tags: {channel: unknown, brand: acme}\npublishers: {leadgen: {}, other: {}}")


async def test_what_the_landing_url_carried_follows_the_visit_to_its_call(
        tmp_path: Path) -> None:
    landing = "https://www.example.com/?kw=burst+pipe&sid=lg-17&affid=leadgen&x=1"
    async with swap_server(tmp_path, CAPTURING) as server:
        visit = await server.visit(url=landing, referrer="https://chicago.craigslist.org/x")
        server.clock.advance(minutes=5)  # an internal page view keeps what the session landed with
        await server.visit(visit["visitor_id"], url="https://www.example.com/?kw=other",
                           referrer="https://www.example.com/")
        stored = await server.store.read(sessions.get, visit["session_id"])
        await _called(server.app[AGI].port, visit["number"], "ads@pbx")
        [call] = await server.store.read(lambda conn: [
            calls.get(conn, r[0]) for r in conn.execute("SELECT id FROM calls")])

    assert stored is not None
    assert dict(stored.captured) == {"tags.keyword": "burst pipe", "sub_id": "lg-17",
                                     "publisher": "leadgen"}
    assert isinstance(call, Call)
    assert (call.source, call.sub_id, call.publisher) == ("craigslist", "lg-17", "leadgen")
    assert call.tags["keyword"] == "burst pipe" and call.tags["sub_id"] == "lg-17"


def _view(text: str, tmp_path: Path) -> tuple[ResolvedConfig, NumberView]:
    config = parse_config(text, "t.yaml", tmp_path / "t.yaml")
    view = config.lookup(POOL[0])
    assert view is not None
    return config, view


def test_a_captured_publisher_must_be_defined_and_never_displaces_the_pools(
        tmp_path: Path) -> None:
    config, view = _view(CAPTURING, tmp_path)
    assert credited(config, view, None, {"publisher": "nobody"}).publisher is None
    assert credited(config, view, None, {"publisher": "other"}).publisher == "other"
    owned = CAPTURING.replace("tags: {pool: web},", "tags: {pool: web}, publisher: leadgen,")
    config, view = _view(owned, tmp_path)
    assert credited(config, view, None, {"publisher": "other"}).publisher == "leadgen"


def test_nothing_captured_and_no_new_source_is_the_number_as_configured(tmp_path: Path) -> None:
    config, view = _view(CAPTURING, tmp_path)
    assert credited(config, view, None, {}) is view
