"""The SQLite store's write connection, and the thread each batch of writes runs on.

A batch that needs no fsync (`synchronous=NORMAL`: the swap endpoint's page views and lease
renewals) commits on the event loop's own thread. In WAL mode that commit is a few writes to
the log, cheaper than the hop to a worker thread and back (FIELD-NOTES: 50-90 µs) with the GIL
hand-offs around it, which cost the swap endpoint about a quarter of its CPU per request.
It never waits there: the connection's busy timeout is 0 on the loop, so a write lock held by
another process (a `callserver numbers sync`, a checkpoint restarting the log) sends the batch
to the worker thread, where it waits up to `timeout`; a durable batch (fsync: call records)
always runs on that thread. Nor does the loop checkpoint: automatic checkpoints are off on this
connection, and a connection of its own copies the log back into the database file on its own
thread, in the background, about once a second while writes land.
"""

import asyncio
import logging
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from callserver.store.transactions import Outcome, Work, commit_batch

log = logging.getLogger(__name__)
CHECKPOINT_EVERY_S = 1.0
# Past this many frames left in the log after a passive checkpoint (writes kept landing while
# it ran), the next one restarts the log: it holds writers off (they wait on the worker
# thread, never on the loop) until the log is copied back, so the log cannot grow for ever.
RESTART_AFTER_FRAMES = 20_000


class Writer:
    """The write connection; `close()` it when the store's writer has stopped."""

    def __init__(self, path: str | Path, timeout: float) -> None:
        self._conn = _connect(path, 0)
        self._conn.row_factory = sqlite3.Row
        for pragma in ("foreign_keys = ON", "temp_store = MEMORY", "wal_autocheckpoint = 0"):
            self._conn.execute(f"PRAGMA {pragma}")
        self._timeout_ms = int(timeout * 1000)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")
        self._checkpointer = _connect(path, timeout)
        self._checkpoint_thread = ThreadPoolExecutor(max_workers=1,
                                                     thread_name_prefix="sqlite-checkpoint")
        self._mode = "PASSIVE"
        self._written = False
        self._checkpointing: asyncio.Task[None] | None = None

    async def commit(self, writes: Sequence[Work[Any]], durable: bool,
                     read_committed: bool) -> list[Outcome]:
        """`commit_batch` of `writes`, on the loop when it can be, else on the worker thread."""
        outcomes = None if durable else _without_waiting(self._conn, writes)
        if outcomes is None:
            outcomes = await asyncio.get_running_loop().run_in_executor(
                self._thread, self._waiting, writes, durable)
        self._checkpoint_when_due()
        return outcomes

    async def close(self) -> None:
        """Stop checkpointing (closing the last connection checkpoints), then close."""
        if self._checkpointing is not None:
            self._checkpointing.cancel()
            await asyncio.gather(self._checkpointing, return_exceptions=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._checkpoint_thread, self._checkpointer.close)
        await loop.run_in_executor(self._thread, self._conn.close)
        self._checkpoint_thread.shutdown()
        self._thread.shutdown()

    def _waiting(self, writes: Sequence[Work[Any]], durable: bool) -> list[Outcome]:
        self._conn.execute(f"PRAGMA busy_timeout = {self._timeout_ms}")
        try:
            return commit_batch(self._conn, writes, durable)
        finally:
            self._conn.execute("PRAGMA busy_timeout = 0")

    def _checkpoint_when_due(self) -> None:
        self._written = True
        if self._checkpointing is None:
            self._checkpointing = asyncio.create_task(self._checkpoints(),
                                                      name="sqlite-checkpoint")

    async def _checkpoints(self) -> None:
        """A checkpoint about once a second while writes keep landing, and one after the
        last: none while the store is idle."""
        try:
            while self._written:
                self._written = False
                await asyncio.sleep(CHECKPOINT_EVERY_S)
                await self._checkpoint()
        finally:
            self._checkpointing = None

    async def _checkpoint(self) -> None:
        """One checkpoint; a failed one is logged, and the next write brings another."""
        try:
            _, left, copied = await asyncio.get_running_loop().run_in_executor(
                self._checkpoint_thread, checkpoint, self._checkpointer, self._mode)
        except sqlite3.Error:
            log.exception("SQLite checkpoint (%s) failed; the log grows until one succeeds",
                          self._mode)
            return
        self._mode = "RESTART" if left - copied > RESTART_AFTER_FRAMES else "PASSIVE"


def _without_waiting(conn: sqlite3.Connection, writes: Sequence[Work[Any]]
                     ) -> list[Outcome] | None:
    """The batch committed on this thread, or None if another connection holds the write lock
    (BEGIN IMMEDIATE refused it before any write ran: nothing to undo)."""
    try:
        return commit_batch(conn, writes, False)
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) \
                and not conn.in_transaction:
            return None
        raise


def _connect(path: str | Path, timeout: float) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)


def checkpoint(conn: sqlite3.Connection, mode: str) -> tuple[int, int, int]:
    """`PRAGMA wal_checkpoint(mode)`'s (busy, frames in the log, frames copied back)."""
    busy, frames, copied = conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
    return int(busy), int(frames), int(copied)
