"""What is PostgreSQL's own in `PgStore` (the contract it shares with `Store` is in
test_group_commit_on_both.py): commits shared, reads in one read-only snapshot, errors as
sqlite3's, no password in a URL, durable commits, a dropped connection reopened."""

import asyncio
import sqlite3
from contextlib import closing

import psycopg
import pytest

from callserver.store.pg import PgStore, open_pg_store


def _make_table(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE notes (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                 "text TEXT UNIQUE)")


def _add(conn: sqlite3.Connection, text: str) -> int:
    cursor = conn.execute("INSERT INTO notes (text) VALUES (?) RETURNING id", (text,))
    (note_id,) = cursor.fetchone()
    return int(note_id)


def _texts(conn: sqlite3.Connection) -> list[str]:
    return [text for (text,) in conn.execute("SELECT text FROM notes ORDER BY id")]


def _transactions(conn: sqlite3.Connection) -> int:
    """Transactions this database has committed so far (the statistics lag by a moment)."""
    conn.execute("SELECT pg_stat_clear_snapshot()")
    (commits,) = conn.execute(
        "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
    ).fetchone()
    return int(commits)



async def test_concurrent_writes_share_commits(store: PgStore) -> None:
    def in_one_transaction(conn: sqlite3.Connection) -> int:
        (xid,) = conn.execute("SELECT txid_current()").fetchone()
        return int(xid)

    await store.write(_make_table)
    xids = await asyncio.gather(*(store.write(in_one_transaction) for _ in range(50)))
    assert 1 <= len(set(xids)) < 50



async def test_when_the_transaction_fails_every_write_in_it_hears_why(store: PgStore) -> None:
    def broken_at_commit(conn: sqlite3.Connection) -> None:
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





async def test_a_password_in_the_url_is_refused(pg_url: str) -> None:
    with pytest.raises(ValueError, match="PGPASSWORD"):
        await open_pg_store(pg_url.replace("callserver@", "callserver:secret@"))


async def test_a_server_that_cannot_be_reached_raises_a_sqlite3_error(pg_url: str) -> None:
    with pytest.raises(sqlite3.OperationalError):
        await open_pg_store("postgresql://callserver@127.0.0.1:1/postgres?connect_timeout=2")


async def test_a_durable_write_waits_for_the_wal_flush(store: PgStore) -> None:
    def setting(conn: sqlite3.Connection) -> str:
        (value,) = conn.execute("SELECT current_setting('synchronous_commit')").fetchone()
        return str(value)

    assert await store.write(setting) == "off"
    assert await store.write(setting, durable=True) == "on"


async def test_a_connection_the_server_dropped_is_opened_again(
    store: PgStore, pg_url: str
) -> None:
    def backend(conn: sqlite3.Connection) -> int:
        (pid,) = conn.execute("SELECT pg_backend_pid()").fetchone()
        return int(pid)

    dropped = await store.read(backend)
    with closing(await asyncio.to_thread(
            lambda: psycopg.connect(pg_url, autocommit=True))) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (dropped,))
    with pytest.raises(sqlite3.OperationalError):
        await store.read(backend)  # the work in flight hears of it
    assert await store.write(backend) != dropped
    assert await store.read(backend) != dropped
