"""`PgStore` keeps `Store`'s contract: writes group-committed with a savepoint each, reads in
one snapshot, errors as sqlite3's, queued writes committed on close, no password in a URL."""

import asyncio
import sqlite3
from collections.abc import Callable
from contextlib import closing
from typing import Any

import psycopg
import pytest

from callserver.store.pg import PgStore, open_pg_store
from callserver.store.pg.connection import Connection


def _make_table(conn: Connection) -> None:
    conn.execute("CREATE TABLE notes (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                 "text TEXT UNIQUE)")


def _add(conn: Connection, text: str) -> int:
    cursor = conn.execute("INSERT INTO notes (text) VALUES (?) RETURNING id", (text,))
    (note_id,) = cursor.fetchone()
    return int(note_id)


def _texts(conn: Connection) -> list[str]:
    return [text for (text,) in conn.execute("SELECT text FROM notes ORDER BY id")]


def _transactions(conn: Connection) -> int:
    """Transactions this database has committed so far (the statistics lag by a moment)."""
    conn.execute("SELECT pg_stat_clear_snapshot()")
    (commits,) = conn.execute(
        "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
    ).fetchone()
    return int(commits)


async def test_a_write_runs_several_statements_in_one_hop_and_returns_its_result(
    store: PgStore,
) -> None:
    def add_two(conn: Connection, first: str, second: str) -> list[str]:
        _add(conn, first)
        _add(conn, second)
        return _texts(conn)

    await store.write(_make_table)
    assert await store.write(add_two, "a", "b") == ["a", "b"]
    assert await store.read(_texts) == ["a", "b"]


async def test_concurrent_writes_share_commits(store: PgStore) -> None:
    def in_one_transaction(conn: Connection) -> int:
        (xid,) = conn.execute("SELECT txid_current()").fetchone()
        return int(xid)

    await store.write(_make_table)
    xids = await asyncio.gather(*(store.write(in_one_transaction) for _ in range(50)))
    assert 1 <= len(set(xids)) < 50


async def test_a_failing_write_is_undone_alone(store: PgStore) -> None:
    def add_then_fail(conn: Connection) -> None:
        _add(conn, "half")
        raise LookupError("no such campaign")

    await store.write(_make_table)
    results = await asyncio.gather(
        store.write(_add, "before"),
        store.write(add_then_fail),
        store.write(_add, "before"),  # breaks the UNIQUE constraint
        store.write(_add, "after"),
        return_exceptions=True,
    )

    assert isinstance(results[1], LookupError)
    assert isinstance(results[2], sqlite3.IntegrityError)
    assert str(results[2]).startswith("UNIQUE constraint failed")
    assert await store.read(_texts) == ["before", "after"]


async def test_when_the_transaction_fails_every_write_in_it_hears_why(store: PgStore) -> None:
    def broken_at_commit(conn: Connection) -> None:
        """Nothing fails until COMMIT checks the deferred foreign key."""
        conn.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TABLE child (parent INTEGER REFERENCES parent (id) "
                     "DEFERRABLE INITIALLY DEFERRED)")
        conn.execute("INSERT INTO child VALUES (42)")

    await store.write(_make_table)
    results = await asyncio.gather(
        store.write(_add, "innocent"),
        store.write(broken_at_commit),
        return_exceptions=True,
    )

    assert all(isinstance(r, sqlite3.Error) for r in results), results
    assert await store.write(_add, "still writable") > 0


async def test_a_read_runs_in_one_read_only_snapshot(store: PgStore) -> None:
    await store.write(_make_table)
    with pytest.raises(sqlite3.OperationalError, match="read-only"):
        await store.read(_add, "sneaked in")


async def test_a_write_cancelled_before_its_batch_starts_is_dropped(store: PgStore) -> None:
    await store.write(_make_table)
    cancelled = asyncio.ensure_future(store.write(_add, "never"))
    await asyncio.sleep(0)  # queued; the writer has not taken it yet
    cancelled.cancel()
    await store.write(_add, "kept")

    assert cancelled.cancelled()
    assert await store.read(_texts) == ["kept"]


async def test_close_commits_what_is_queued(pg_url: str) -> None:
    store = await open_pg_store(pg_url)
    await store.write(_make_table)
    queued = [asyncio.ensure_future(store.write(_add, f"queued {i}")) for i in range(3)]
    await asyncio.sleep(0)
    await store.close()
    await asyncio.gather(*queued)

    reopened = await open_pg_store(pg_url)
    assert await reopened.read(_texts) == ["queued 0", "queued 1", "queued 2"]
    await reopened.close()


@pytest.mark.parametrize("use", [lambda s: s.write(_texts), lambda s: s.read(_texts)])
async def test_a_closed_store_refuses_work(
    pg_url: str, use: Callable[[PgStore], "asyncio.Future[Any]"]
) -> None:
    store = await open_pg_store(pg_url)
    await store.close()
    with pytest.raises(RuntimeError, match="closed"):
        await use(store)


async def test_a_password_in_the_url_is_refused(pg_url: str) -> None:
    with pytest.raises(ValueError, match="PGPASSWORD"):
        await open_pg_store(pg_url.replace("callserver@", "callserver:secret@"))


async def test_a_server_that_cannot_be_reached_raises_a_sqlite3_error(pg_url: str) -> None:
    with pytest.raises(sqlite3.OperationalError):
        await open_pg_store("postgresql://callserver@127.0.0.1:1/postgres?connect_timeout=2")


async def test_a_durable_write_waits_for_the_wal_flush(store: PgStore) -> None:
    def setting(conn: Connection) -> str:
        (value,) = conn.execute("SELECT current_setting('synchronous_commit')").fetchone()
        return str(value)

    assert await store.write(setting) == "off"
    assert await store.write(setting, durable=True) == "on"


async def test_a_connection_the_server_dropped_is_opened_again(
    store: PgStore, pg_url: str
) -> None:
    def backend(conn: Connection) -> int:
        (pid,) = conn.execute("SELECT pg_backend_pid()").fetchone()
        return int(pid)

    dropped = await store.read(backend)
    with closing(await asyncio.to_thread(psycopg.connect, pg_url, autocommit=True)) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (dropped,))
    with pytest.raises(sqlite3.OperationalError):
        await store.read(backend)  # the work in flight hears of it
    assert await store.write(backend) != dropped
    assert await store.read(backend) != dropped
