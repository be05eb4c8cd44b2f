"""The store: one SQLite file in WAL mode behind aiosqlite, reached in one thread hop per request.

Every `await` on aiosqlite is a hop to its worker thread (50–90 µs, against about 1 µs for a
query), so repository functions are plain functions of a `sqlite3.Connection` and a caller
composes them into one function that costs one hop:

    lease = await store.write(swap, request)       # swap(conn, request) calls several repos
    calls_today = await store.read(call_totals.count_since, "number", number, midnight)

Writes are group-committed (`callserver.store.group_commit`): everything queued while the
previous commit was in flight runs as one transaction, each write in its own savepoint, on a
connection of their own (`callserver.store.sqlite_writer`: a batch that needs no fsync costs
no hop at all). `durable=True` commits with `synchronous=FULL` (call records); otherwise
`NORMAL`, which survives a crash but not power loss.
"""

import asyncio
import sqlite3
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar, TypeVarTuple, cast

import aiosqlite

from callserver.store import migrate
from callserver.store.group_commit import Backend, GroupCommitStore
from callserver.store.sqlite_writer import Writer
from callserver.store.transactions import read

BUSY_TIMEOUT_S = 5.0

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


class Store(GroupCommitStore):
    """An open SQLite database; `close()` it when done. Create it with `open_store`."""

    def __init__(self, db: aiosqlite.Connection, writer: Writer) -> None:
        async def close() -> None:
            await writer.close()
            await db.close()

        super().__init__(Backend(hop=partial(_on_thread, db), commit=writer.commit,
                                 read=read, close=close), name="store-writer")


async def open_store(path: str | Path) -> Store:
    """Open (creating if need be) the database file, switch it to WAL and migrate it."""
    db = await _connect(path)
    try:
        await _on_thread(db, prepare, datetime.now(UTC))
        writer = Writer(path, BUSY_TIMEOUT_S)
    except BaseException:
        await db.close()
        raise
    return Store(db, writer)


async def _connect(path: str | Path) -> aiosqlite.Connection:
    """Connect in autocommit mode: the store issues BEGIN and COMMIT itself.

    When the file cannot be opened, aiosqlite stops its worker thread without waiting for it,
    and the thread's last act then lands on an event loop that may be closed by then; waiting
    for the thread here keeps that failure to the caller.
    """
    connecting = aiosqlite.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        return await connecting
    except sqlite3.Error:
        await asyncio.to_thread(connecting._thread.join)
        raise


async def _on_thread(
    db: aiosqlite.Connection, fn: Callable[[sqlite3.Connection, *Ts], T], *args: *Ts
) -> T:
    """Call `fn(connection, *args)` on aiosqlite's worker thread: one hop for any number of
    statements.

    aiosqlite (read at 0.22) has no public call for this. Its `_execute` queues any callable on
    the thread that owns the connection, and `_conn` is that `sqlite3.Connection`. This and
    `_connect` are the only places that reach into aiosqlite; every store test fails if its
    internals change. `_execute` is untyped; the cast gives it the type it has.
    """
    execute = cast(Callable[..., Awaitable[T]], db._execute)
    return await execute(fn, db._conn, *args)


def prepare(conn: sqlite3.Connection, now: datetime) -> None:
    """Ready a connection as the store uses it (WAL, foreign keys, schema migrated); commands
    that work on the file synchronously (the number inventory's sync) call it too."""
    conn.row_factory = sqlite3.Row
    _enable_wal(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    # A batch's savepoints journal every page they touch; past 64 KiB that journal spills to
    # a temporary file, which cost the swap endpoint about a tenth of its time per request.
    conn.execute("PRAGMA temp_store = MEMORY")
    migrate.apply(conn, now)


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL (a lasting property of the file).

    The switch needs the file to itself and, unlike a transaction, does not wait out the busy
    timeout when another process is opening the same new file: it is retried for as long.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            (mode,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.005)
            continue
        if mode != "wal":
            raise RuntimeError(f"SQLite refused WAL mode (journal_mode={mode}): use a file on disk")
        return
