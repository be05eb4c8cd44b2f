"""The PostgreSQL store: `Store`'s contract (group-committed writes, one-hop reads) on one
psycopg connection owned by one worker thread.

The repositories are plain functions of a connection, so they run unchanged on the adapter of
`connection.py`, and a request costs one hop to the worker thread, as on SQLite.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar, TypeVarTuple

from callserver.store.pg import migrate
from callserver.store.pg.connection import Connection, connect
from callserver.store.pg.transactions import commit_batch, read
from callserver.store.transactions import Outcome

MAX_BATCH = 256

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


@dataclass(frozen=True)
class _Write:
    work: Callable[[Any], Any]
    durable: bool
    future: asyncio.Future[Any]


class PgStore:
    """An open PostgreSQL database; `close()` it when done. Create it with `open_pg_store`."""

    def __init__(self, conn: Connection, worker: ThreadPoolExecutor) -> None:
        self._conn = conn
        self._worker = worker
        self._queue: list[_Write] = []
        self._queued = asyncio.Event()
        self._closing = False
        self._writer = asyncio.create_task(self._write_loop(), name="pg-store-writer")

    async def write(self, fn: Callable[[Any, *Ts], T], *args: *Ts, durable: bool = False) -> T:
        """Run `fn(conn, *args)` in the next group commit and return its result once committed;
        as `Store.write`, a failing `fn` is rolled back alone and its error raised here."""
        if self._closing:
            raise RuntimeError("store is closed")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.append(_Write(lambda conn: fn(conn, *args), durable, future))
        self._queued.set()
        return await future

    async def read(self, fn: Callable[[Any, *Ts], T], *args: *Ts) -> T:
        """Run `fn(conn, *args)` in one hop, in one read-only snapshot."""
        if self._closing:
            raise RuntimeError("store is closed")
        result: T = await self._hop(read, lambda conn: fn(conn, *args))
        return result

    async def close(self) -> None:
        """Commit what is queued, then close the connection and stop the thread."""
        if self._closing:
            return
        self._closing = True
        self._queued.set()
        await self._writer
        await self._hop(Connection.close)
        self._worker.shutdown()

    async def _hop(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(
            self._worker, fn, self._conn, *args
        )

    async def _write_loop(self) -> None:
        while self._queue or not self._closing:
            await self._queued.wait()
            self._queued.clear()
            while self._queue:
                batch = [w for w in self._queue[:MAX_BATCH] if not w.future.done()]
                del self._queue[:MAX_BATCH]
                if batch:
                    await self._commit(batch)

    async def _commit(self, batch: list[_Write]) -> None:
        durable = any(w.durable for w in batch)
        try:
            outcomes: list[Outcome] = await self._hop(
                commit_batch, [w.work for w in batch], durable
            )
        except Exception as error:  # the whole transaction failed: every caller hears why
            outcomes = [(None, error)] * len(batch)
        for write, (result, error) in zip(batch, outcomes, strict=True):
            if write.future.done():
                continue
            if error is None:
                write.future.set_result(result)
            else:
                write.future.set_exception(error)


async def open_pg_store(url: str) -> PgStore:
    """Connect to `url` (`postgresql://user@host:port/db`, password in PGPASSWORD) and migrate."""
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-store")
    loop = asyncio.get_running_loop()
    try:
        conn = await loop.run_in_executor(worker, _open, url, datetime.now(UTC))
    except BaseException:
        worker.shutdown()
        raise
    return PgStore(conn, worker)


def _open(url: str, now: datetime) -> Connection:
    conn = connect(url)
    try:
        migrate.apply(conn, now)
    except BaseException:
        conn.close()
        raise
    return conn
