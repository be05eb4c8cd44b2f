"""`callserver serve` as a user runs it: a real process, real sockets, real signals."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import socket
from datetime import UTC, datetime
from pathlib import Path

from callserver.store import calls
from callserver.store.call_values import Call
from callserver.store.db import open_store
from tests.config.test_demo import DEMO_VARIABLES
from tests.peers.pbx import PbxCall
from tests.serve.conftest import ADMIN_TOKEN, Launch

BROKEN_TAIL = "\n    bogus_field: 1\n"


def _digest(server_get: tuple[int, bytes]) -> str:
    status, body = server_get
    assert status == 200
    return str(json.loads(body)["config"])


def test_serves_healthz_agi_and_stops_on_sigterm(serve: Launch) -> None:
    server = serve()
    status, body = server.get("/healthz")
    health = json.loads(body)
    assert status == 200
    assert health["status"] == "ok" and health["agi"] == "listening"
    assert health["store"] == "ok" and health["ami"] == "off"
    with socket.create_connection(("127.0.0.1", server.agi), timeout=2):
        pass
    server.signal(signal.SIGTERM)
    assert server.proc.wait(timeout=10) == 0
    assert "Traceback" not in server.output()


def test_sigint_stops_cleanly(serve: Launch) -> None:
    server = serve()
    server.signal(signal.SIGINT)
    assert server.proc.wait(timeout=10) == 0


def test_sighup_reloads_a_valid_file_and_keeps_the_old_on_a_bad_one(serve: Launch) -> None:
    server = serve()
    first = _digest(server.get("/healthz"))
    server.signal(signal.SIGHUP)  # nothing changed, and the log says the signal was heard
    server.wait_for_log(f"config reloaded: unchanged ({first})")
    text = server.config.read_text()
    server.config.write_text(text.replace("ring_timeout: 20", "ring_timeout: 21"))
    server.signal(signal.SIGHUP)
    server.wait_for_log(f"config reloaded: {first} -> ")
    second = _digest(server.get("/healthz"))
    assert second != first
    server.config.write_text(text.replace("  plumbing:\n", "  plumbing:\n    ring: 5\n", 1))
    server.signal(signal.SIGHUP)
    server.wait_for_log("(1 error)")
    assert "callserver.yaml:" in server.output() and "unknown key 'ring'" in server.output()
    assert _digest(server.get("/healthz")) == second


def test_reload_endpoint_needs_the_admin_token(serve: Launch) -> None:
    server = serve(env={"CALLSERVER_PUBLISHER_TOKENS": "leadgen:pub-token"})
    assert server.get("/api/config/reload", method="POST")[0] == 401
    assert server.get("/api/config/reload", "wrong", method="POST")[0] == 401
    assert server.get("/api/config/reload", "pub-token", method="POST")[0] == 403
    status, body = server.get("/api/config/reload", ADMIN_TOKEN, method="POST")
    assert status == 200 and json.loads(body)["reloaded"] is True


def test_reload_endpoint_answers_422_with_every_error(serve: Launch) -> None:
    server = serve()
    before = _digest(server.get("/healthz"))
    text = server.config.read_text()
    broken = text.replace("strategy: priority", "strategy: random", 1).replace(
        "{source: google-ads,", "{source: gogle-ads,", 1)
    server.config.write_text(broken)
    status, body = server.get("/api/config/reload", ADMIN_TOKEN, method="POST")
    answer = json.loads(body)
    assert status == 422 and answer["reloaded"] is False
    texts = [e["text"] for e in answer["errors"]]
    assert len(texts) == 2
    assert any("routing.strategy: expected 'priority'" in t for t in texts)
    assert any("unknown source 'gogle-ads'; did you mean 'google-ads'?" in t for t in texts)
    assert all(e["line"] > 1 and e["file"].endswith("callserver.yaml") for e in answer["errors"])
    assert _digest(server.get("/healthz")) == before


def test_reload_endpoint_says_the_warnings_of_the_file_it_loaded(serve: Launch) -> None:
    server = serve(env=dict.fromkeys(DEMO_VARIABLES, "x"))
    text = server.config.read_text()
    server.config.write_text(text.replace("sources: [facebook,", "sources: [google-ads, facebook,"))
    status, body = server.get("/api/config/reload", ADMIN_TOKEN, method="POST")
    answer = json.loads(body)
    assert status == 200 and answer["reloaded"] is True
    [warning] = answer["warnings"]
    assert warning["path"] == "campaigns.plumbing.pools.website.sources[0]"
    assert "'google-ads' are shown static number (800) 555-0101 first" in warning["message"]
    server.wait_for_log(f"warning: {warning['path']}")


def test_refuses_to_start_on_a_bad_file(serve: Launch, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("campaigns:\n  spring:\n    routing: {strategy: random}\n")
    server = serve(config=bad, wait=False)
    assert server.proc.wait(timeout=10) == 2
    out = server.output()
    assert "callserver.yaml:3: campaigns.spring.routing.strategy: expected" in out
    assert "not starting" in out and "Traceback" not in out


def test_refuses_to_start_on_a_bad_trusted_proxy_entry(serve: Launch) -> None:
    server = serve(env={"CALLSERVER_TRUSTED_PROXIES": "127.0.0.1, 173.245.48.1/20"}, wait=False)
    assert server.proc.wait(timeout=10) == 2
    out = server.output()
    assert ("not starting: CALLSERVER_TRUSTED_PROXIES: entry 2 ('173.245.48.1/20') has host "
            "bits set: the range is 173.245.48.0/20") in out and "Traceback" not in out


def test_ami_retries_with_a_clear_line_while_no_asterisk_answers(serve: Launch) -> None:
    server = serve(env={"CALLSERVER_AMI_USER": "cs", "CALLSERVER_AMI_SECRET": "pw"})
    server.wait_for_log("retrying in")
    status, body = server.get("/healthz")
    assert status == 200 and json.loads(body)["ami"] != "connected"
    server.signal(signal.SIGTERM)
    assert server.proc.wait(timeout=10) == 0


async def test_calls_left_in_progress_are_marked_interrupted(serve: Launch) -> None:
    server = serve()
    server.signal(signal.SIGTERM)
    server.proc.wait(timeout=10)
    store = await open_store(server.db)
    call = Call(id="c-1", started_at=datetime(2026, 11, 25, 10, tzinfo=UTC),
                number="+18005550101", caller="+13125550000", campaign="plumbing")
    await store.write(lambda conn: calls.start(conn, call), durable=True)
    await store.close()
    server = serve()
    store = await open_store(server.db)
    try:
        record = await store.read(lambda conn: calls.get(conn, "c-1"))
    finally:
        await store.close()
    assert record is not None and record.status == "interrupted"
    assert record.campaign == "plumbing"
    assert "marked 1 calls left in progress" in server.output()


async def test_callserver_killed_mid_call_leaves_an_interrupted_record(serve: Launch) -> None:
    server = serve()
    # The insurance campaign has no schedule, so this holds at any hour CI runs.
    pbx = PbxCall(server.agi, "+18885550104", targets={
        "cs-buyer-a/sip:calls@buyer-a.example.com": "hold", "+16465550187@carrier": "hold"})
    ringing = asyncio.create_task(pbx.run())
    await asyncio.wait_for(pbx.dialling.wait(), 10)
    server.signal(signal.SIGKILL)
    server.proc.wait(timeout=10)
    ringing.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await ringing
    store = await open_store(server.db)
    try:
        [row] = await store.read(lambda conn: list(conn.execute("SELECT id, status FROM calls")))
    finally:
        await store.close()
    assert row[1] == "in-progress"  # the record was written before dialling
    serve()
    store = await open_store(server.db)
    try:
        call = await store.read(calls.get, row[0])
    finally:
        await store.close()
    assert call is not None and call.status == "interrupted"
    assert call.campaign == "insurance" and call.number == "+18885550104"
