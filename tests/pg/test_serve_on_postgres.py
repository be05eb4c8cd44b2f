"""`callserver serve --db postgresql://...` as a user runs it: a real process on the private
PostgreSQL server, its number inventory synced there, a swap and an AGI call recorded there;
`check --db` and `numbers list/release --db` reading and writing the same database."""

from __future__ import annotations

import json
import signal
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from callserver import cli
from callserver.store import calls
from callserver.store.pg import open_pg_store
from tests.numbers.conftest import CHICAGO, CONFIG, moved_to_fall
from tests.peers.pbx import PbxCall
from tests.serve.conftest import Server, start_server

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
INSURANCE = "+18885550104"  # a campaign with no schedule: it answers at any hour CI runs
PLUMBING_POOL = {"+13125550110", "+13125550111", "+13125550112", "+13125550113"}


@pytest.fixture
def server(tmp_path: Path, pg_url: str) -> Iterator[Server]:
    started = start_server(tmp_path, db=pg_url)
    yield started
    if started.proc.poll() is None:
        started.signal(signal.SIGTERM)
    started.proc.wait(timeout=10)


def _swap(server: Server) -> dict[str, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.http}/swap/session", method="POST",
        data=json.dumps({"campaign": "plumbing", "url": "https://www.example.com/"}).encode(),
        headers={"User-Agent": BROWSER, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
        shown: dict[str, str] = json.loads(response.read())
    return shown


async def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    store = await open_pg_store(url)
    try:
        return await store.read(lambda conn: [tuple(row) for row in conn.execute(sql)])
    finally:
        await store.close()


async def test_serve_on_postgresql_records_swaps_and_calls_there(
        server: Server, pg_url: str) -> None:
    status, body = server.get("/healthz")
    health = json.loads(body)
    assert status == 200 and health["status"] == "ok" and health["store"] == "ok"
    assert "released numbers are not kept out of service" not in server.output()

    shown = _swap(server)
    assert shown["number"] in PLUMBING_POOL
    [(number, session)] = await _rows(
        pg_url, "SELECT number, session_id FROM pool_numbers WHERE session_id IS NOT NULL")
    assert (number, session) == (shown["number"], shown["session_id"])

    pbx = PbxCall(server.agi, INSURANCE, targets={
        "cs-buyer-a/sip:calls@buyer-a.example.com": "answer"})
    await pbx.run()
    assert pbx.hung_up_after_talk
    [(call_id,)] = await _rows(pg_url, "SELECT id FROM calls")
    store = await open_pg_store(pg_url)
    try:
        call = await store.read(calls.get, str(call_id))
    finally:
        await store.close()
    assert call is not None and call.campaign == "insurance" and call.number == INSURANCE
    assert call.status == "answered"

    listed = await _rows(pg_url, "SELECT number FROM numbers WHERE listed = 1")
    assert {INSURANCE, *PLUMBING_POOL} <= {n for (n,) in listed}  # synced at start
    server.signal(signal.SIGTERM)
    assert server.proc.wait(timeout=10) == 0
    assert "Traceback" not in server.output()


def test_numbers_and_check_commands_take_a_postgresql_url(
        tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "callserver.yaml"
    config.write_text(CONFIG)
    base = ["--config", str(config), "--db", pg_url]
    assert cli.main(["check", str(config), "--db", pg_url]) == 0  # no schema yet: no refusal
    capsys.readouterr()
    assert cli.main(["numbers", "list", "--json", *base]) == 0
    assert json.loads(capsys.readouterr().out) == []

    assert cli.main(["numbers", "release", CHICAGO, *base]) == 0
    assert "1 number released" in capsys.readouterr().out
    assert cli.main(["numbers", "list", "--json", "--state", "released", *base]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["number"], row["campaign"]) == (CHICAGO, "spring")

    config.write_text(moved_to_fall(CHICAGO))
    assert cli.main(["check", str(config), "--db", pg_url]) == 2
    assert "may join campaign 'fall' from" in capsys.readouterr().out
