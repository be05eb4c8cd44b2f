"""What is SQLite's own in `Store` (the contract it shares with `PgStore` is in
tests/pg/test_group_commit_on_both.py): WAL and busy timeout, commits shared and durable ones
with synchronous=FULL, a failing write alone in its batch, a transaction that fails at commit."""

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from callserver.store import Store, open_store


def _make_table(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT UNIQUE)")


def _add(conn: sqlite3.Connection, text: str) -> int:
    cursor = conn.execute("INSERT INTO notes (text) VALUES (?)", (text,))
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _texts(conn: sqlite3.Connection) -> list[str]:
    return [text for (text,) in conn.execute("SELECT text FROM notes ORDER BY id")]


async def _traced(store: Store, statements: list[str]) -> None:
    """Record every statement the store's write connection runs, on whichever thread."""
    await store.write(lambda conn: conn.set_trace_callback(statements.append))


async def test_the_file_is_in_wal_mode_with_a_busy_timeout_and_foreign_keys(
    store: Store, db_path: Path
) -> None:
    def pragmas(conn: sqlite3.Connection) -> list[object]:
        names = ("journal_mode", "busy_timeout", "foreign_keys")
        return [conn.execute(f"PRAGMA {name}").fetchone()[0] for name in names]

    assert await store.read(pragmas) == ["wal", 5000, 1]
    with closing(sqlite3.connect(db_path)) as other:  # WAL is a property of the file
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)



async def test_concurrent_writes_share_commits(store: Store) -> None:
    await store.write(_make_table)
    statements: list[str] = []
    await _traced(store, statements)

    ids = await asyncio.gather(*(store.write(_add, f"note {i}") for i in range(50)))

    assert sorted(ids) == list(range(1, 51))
    assert 1 <= statements.count("COMMIT") < 50
    assert "PRAGMA synchronous = FULL" not in statements


async def test_a_durable_write_commits_with_synchronous_full(store: Store) -> None:
    await store.write(_make_table)
    statements: list[str] = []
    await _traced(store, statements)

    await store.write(_add, "call record", durable=True)

    full = statements.index("PRAGMA synchronous = FULL")
    assert statements[full + 1] == "BEGIN IMMEDIATE"



async def test_a_failing_write_alone_in_its_batch_is_undone(store: Store) -> None:
    def add_then_fail(conn: sqlite3.Connection) -> None:
        _add(conn, "half")
        raise LookupError("no such campaign")

    await store.write(_make_table)
    with pytest.raises(LookupError):
        await store.write(add_then_fail)  # nothing else queued: a batch of one, no savepoint
    assert await store.write(_add, "next") > 0
    assert await store.read(_texts) == ["next"]


async def test_when_the_transaction_fails_every_write_in_it_hears_why(store: Store) -> None:
    def commit_behind_the_stores_back(conn: sqlite3.Connection) -> None:
        conn.execute("COMMIT")

    await store.write(_make_table)
    results = await asyncio.gather(
        store.write(_add, "innocent"),
        store.write(commit_behind_the_stores_back),
        return_exceptions=True,
    )

    assert [type(r) for r in results] == [sqlite3.OperationalError] * 2
    assert await store.write(_add, "still writable") > 0





async def test_a_file_that_cannot_be_opened_raises_and_leaves_no_thread(tmp_path: Path) -> None:
    with pytest.raises(sqlite3.OperationalError):
        await open_store(tmp_path / "no-such-directory" / "db.sqlite3")
