"""`callserver db migrate --from sqlite:///PATH --to postgresql://...` through the real CLI: a
SQLite store seeded by the repositories reads the same on PostgreSQL afterwards; a target with
rows or at another schema version is refused with nothing written."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callserver import cli
from callserver.numbers.database import connected, read_only, reading, write
from callserver.store import calls, events, inventory, leases, migrate, outbox, pool_table, sessions
from callserver.store.events import CallEvent
from callserver.store.pg import open_pg_store
from tests.pg.test_calls_outbox_inventory_reports_on_both import ENTRY
from tests.store.conftest import NOW
from tests.store.test_calls import ANSWERED, _call
from tests.store.test_outbox import _delivery
from tests.store.test_sessions import LANDING

Capture = pytest.CaptureFixture[str]
TTL = timedelta(minutes=30)
POOL = ["+18005550110", "+18005550111"]


def _seed(conn: sqlite3.Connection) -> None:
    conn.executemany("INSERT INTO pool_numbers (number, pool) VALUES (?, 'website')",
                     [(number,) for number in POOL])
    for n in range(3):
        calls.start(conn, _call(n, started_at=NOW + timedelta(minutes=n)))
        events.append(conn, CallEvent(f"call-{n}", NOW, "dial", {"target": "sales"}))
        outbox.enqueue(conn, replace(_delivery(n), call_id=f"call-{n}"))
        leases.take(conn, "website", f"sess-{n}", NOW, TTL)  # the third finds none
    calls.complete(conn, "call-1", ANSWERED)
    outbox.claim_due(conn, NOW, timedelta(minutes=1), 1)
    sessions.upsert(conn, LANDING)
    inventory.save(conn, [ENTRY, replace(ENTRY, number="+18005550102", released_at=NOW,
                                         listed=False)])


def _dump(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows in one order, schema_version aside (each store records its own)."""
    tables = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_version'")]
    return {table: sorted((tuple(row) for row in conn.execute(f'SELECT * FROM "{table}"')),
                          key=repr) for table in tables}


def _pg_dump(url: str, tables: list[str]) -> dict[str, list[tuple[object, ...]]]:
    with connected(url) as conn:
        return {table: sorted((tuple(row) for row in conn.execute(f'SELECT * FROM "{table}"')),
                              key=repr) for table in tables}


def _migrate(source: Path | str, url: str) -> int:
    return cli.main(["db", "migrate", "--from", f"sqlite://{source}", "--to", url])


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    path = tmp_path / "callserver.sqlite3"
    with connected(path) as conn:
        write(conn, _seed)
    return path


async def test_every_table_is_copied_and_reads_the_same(
        seeded: Path, pg_url: str, capsys: Capture) -> None:
    assert _migrate(seeded, pg_url) == 0
    *lines, total = capsys.readouterr().out.splitlines()
    counts = {table: int(rows) for table, rows, _ in map(str.split, lines)}
    assert (counts["calls"], counts["call_events"], counts["webhook_outbox"]) == (3, 3, 3)
    assert (counts["pool_numbers"], counts["pool_exhaustions"], counts["numbers"]) == (2, 1, 2)
    assert total == f"copied {sum(counts.values())} rows in {len(counts)} tables to {pg_url}"
    with read_only(seeded) as source:
        assert source is not None
        before = reading(source, _dump)
    assert {table: len(rows) for table, rows in before.items()} == counts
    assert _pg_dump(pg_url, list(before)) == before

    store = await open_pg_store(pg_url)
    try:
        assert await store.read(calls.get, "call-1") == replace(
            _call(1, started_at=NOW + timedelta(minutes=1)), end=ANSWERED)
        assert [e.kind for e in await store.read(events.for_call, "call-0")] == ["dial"]
        assert await store.read(sessions.get, LANDING.session_id) == LANDING
        assert await store.read(pool_table.exhaustions_by_pool) == {"website": 1}
        assert (await store.read(inventory.entries))[ENTRY.number] == ENTRY
        claimed = await store.read(outbox.get, "msg-0")
        assert claimed is not None and claimed.attempts == 1
        # Identities moved past the copied ids: the next exhaustion and event insert cleanly.
        await store.write(leases.record_exhaustion, "website", NOW, "sess-9")
        await store.write(events.append, CallEvent("call-2", NOW, "hangup"))
        assert await store.read(pool_table.exhaustions_by_pool) == {"website": 2}
    finally:
        await store.close()


def test_a_target_with_rows_is_refused_and_left_alone(
        seeded: Path, pg_url: str, capsys: Capture) -> None:
    assert _migrate(seeded, pg_url) == 0
    capsys.readouterr()
    assert _migrate(seeded, pg_url) == 2
    err = capsys.readouterr().err
    assert "refused: the PostgreSQL store is not empty (rows in " in err and "calls" in err
    with connected(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM calls").fetchone()[0] == 3


def test_a_source_at_another_schema_version_is_refused(
        tmp_path: Path, pg_url: str, capsys: Capture) -> None:
    older = tmp_path / "migrations"
    older.mkdir()
    for found in migrate.discover()[:4]:
        shutil.copy(found.path, older)
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path, isolation_level=None) as conn:
        migrate.apply(conn, datetime.now(UTC), older)
    newest = migrate.discover()[-1].version
    assert _migrate(path, pg_url) == 2
    err = capsys.readouterr().err
    assert f"SQLite store is at schema version 4 and the PostgreSQL store at {newest}" in err
    with connected(pg_url) as pg:
        assert pg.execute("SELECT count(*) FROM calls").fetchone()[0] == 0


def test_a_missing_file_or_swapped_arguments_fail_with_a_clear_line(
        tmp_path: Path, pg_url: str, capsys: Capture) -> None:
    assert _migrate(tmp_path / "none.sqlite3", pg_url) == 2
    assert "no SQLite store at" in capsys.readouterr().err
    assert cli.main(["db", "migrate", "--from", pg_url, "--to", "sqlite:///x.sqlite3"]) == 2
    assert "--from names a SQLite store" in capsys.readouterr().err
