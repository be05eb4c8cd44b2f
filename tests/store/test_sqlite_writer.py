"""Where the SQLite store's writes run (`callserver.store.sqlite_writer`): a batch that needs
no fsync on the event loop's thread, a durable one on the writer's thread, one that meets
another process's write lock on the writer's thread too (the loop never waits on a lock), and
the log copied back into the database file with no one else checkpointing."""

import asyncio
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from callserver.store import Store, sqlite_writer


def _make_table(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB)")


def _add(conn: sqlite3.Connection, body: bytes = b"") -> str:
    """The note written; answers the thread that wrote it."""
    conn.execute("INSERT INTO notes (body) VALUES (?)", (body,))
    return threading.current_thread().name


def _file_size(path: Path) -> int:
    """The database file's own size, without its log."""
    return path.stat().st_size


async def test_a_plain_write_runs_on_the_loop_and_a_durable_one_on_the_writer_thread(
        store: Store) -> None:
    await store.write(_make_table)
    assert await store.write(_add) == threading.current_thread().name
    assert (await store.write(_add, durable=True)).startswith("sqlite-writer")


async def test_a_write_meeting_another_connections_lock_waits_off_the_loop(
        store: Store, db_path: Path) -> None:
    await store.write(_make_table)
    with closing(sqlite3.connect(db_path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO notes (body) VALUES (x'00')")
        waiting = asyncio.ensure_future(store.write(_add))
        await asyncio.sleep(0.05)  # the loop runs on while the write waits for the lock
        assert not waiting.done()
        other.execute("COMMIT")
        assert (await waiting).startswith("sqlite-writer")
    assert await store.read(lambda conn: conn.execute("SELECT count(*) FROM notes").fetchone()[0]
                            ) == 2
    assert await store.write(_add) == threading.current_thread().name  # back on the loop


async def test_the_log_is_copied_back_into_the_file_in_the_background(
        store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_writer, "CHECKPOINT_EVERY_S", 0.0)
    await store.write(_make_table)
    before = _file_size(db_path)
    await store.write(_add, bytes(1_000_000))
    for _ in range(200):
        if _file_size(db_path) > before + 1_000_000:
            break
        await asyncio.sleep(0.02)
    assert _file_size(db_path) > before + 1_000_000
