"""The PostgreSQL store: `Store`'s contract (group-committed writes, one-hop reads) on one
psycopg connection owned by one worker thread.

The repositories are plain functions of a connection, so they run unchanged on the adapter of
`connection.py`, and a request costs one hop to the worker thread, as on SQLite.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

from callserver.store.group_commit import Backend, GroupCommitStore
from callserver.store.pg import migrate
from callserver.store.pg.connection import Connection, connect
from callserver.store.pg.transactions import commit_batch, read

T = TypeVar("T")


class PgStore(GroupCommitStore):
    """An open PostgreSQL database; `close()` it when done. Create it with `open_pg_store`."""

    def __init__(self, conn: Connection, worker: ThreadPoolExecutor) -> None:
        self._conn = conn
        self._worker = worker
        super().__init__(Backend(hop=self._hop, commit=partial(self._hop, commit_batch),
                                 read=read, close=self._close), name="pg-store-writer")

    async def _hop(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(
            self._worker, fn, self._conn, *args
        )

    async def _close(self) -> None:
        """Close the connection on its thread, then stop the thread."""
        await self._hop(Connection.close)
        self._worker.shutdown()


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
