"""Group commit, the part of a store that is the same on SQLite and on PostgreSQL.

A single writer task takes everything queued while the previous commit was in flight (up to
`MAX_BATCH`) and hands it to the database's thread as one batch; each caller is answered after
the commit. What differs per database is a `Backend`: how a function reaches the thread that
owns the connection (one hop), and the batch and read functions that run there.
"""

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, TypeVarTuple

from callserver.store.transactions import Outcome, Work

MAX_BATCH = 256

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


@dataclass(frozen=True)
class Backend:
    """`hop(fn, *args)` runs `fn(connection, *args)` on the connection's thread, and `read`
    is what a read runs there (see `transactions`); `commit(writes, durable, read_committed)`
    commits a batch wherever the database wants it run; `close` closes it all."""

    hop: Callable[..., Awaitable[Any]]
    commit: Callable[[Sequence[Work[Any]], bool, bool], Awaitable[list[Outcome]]]
    read: Callable[[Any, Work[Any]], Any]
    close: Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class _Write:
    work: Work[Any]
    durable: bool
    read_committed: bool
    future: asyncio.Future[Any]


class GroupCommitStore:
    """An open database; `close()` it when done."""

    def __init__(self, backend: Backend, name: str) -> None:
        self._backend = backend
        self._queue: list[_Write] = []
        self._queued = asyncio.Event()
        self._closing = False
        self._writer = asyncio.create_task(self._write_loop(), name=name)

    async def write(
        self,
        fn: Callable[[sqlite3.Connection, *Ts], T],
        *args: *Ts,
        durable: bool = False,
        read_committed: bool = False,
    ) -> T:
        """Run `fn(conn, *args)` in the next group commit and return its result once committed.

        If `fn` raises, its own changes are rolled back and the error re-raised here; the other
        writes of the batch commit. A caller cancelled before the batch starts is dropped; one
        cancelled later has its write committed all the same. `read_committed` says each of
        `fn`'s statements holds alone against other nodes' (a SKIP LOCKED take, an update that
        re-checks its row, an upsert): a batch of only such writes runs in READ COMMITTED on
        PostgreSQL, where it cannot lose a race to another node (SQLite ignores it).
        """
        if self._closing:
            raise RuntimeError("store is closed")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.append(_Write(_bind(fn, *args), durable, read_committed, future))
        self._queued.set()
        return await future

    async def read(self, fn: Callable[[sqlite3.Connection, *Ts], T], *args: *Ts) -> T:
        """Run `fn(conn, *args)` in one hop, in one read snapshot; `fn` must not write."""
        if self._closing:
            raise RuntimeError("store is closed")
        result: T = await self._backend.hop(self._backend.read, _bind(fn, *args))
        return result

    async def close(self) -> None:
        """Commit what is queued, then close the connection."""
        if self._closing:
            return
        self._closing = True
        self._queued.set()
        await self._writer
        await self._backend.close()

    async def _write_loop(self) -> None:
        while self._queue or not self._closing:
            await self._queued.wait()
            # Requests the loop has already read queue their writes in its next rounds: wait
            # while the queue still grows, so they share this commit (in the swap benchmark, 11
            # writes a commit became about 29).
            waiting = 0
            while waiting < len(self._queue) < MAX_BATCH:
                waiting = len(self._queue)
                await asyncio.sleep(0)
            self._queued.clear()
            while self._queue:
                batch = [w for w in self._queue[:MAX_BATCH] if not w.future.done()]
                del self._queue[:MAX_BATCH]
                if batch:
                    await self._commit(batch)

    async def _commit(self, batch: list[_Write]) -> None:
        durable = any(w.durable for w in batch)
        read_committed = all(w.read_committed for w in batch)
        try:
            outcomes = await self._backend.commit([w.work for w in batch], durable,
                                                  read_committed)
        except Exception as failure:  # the whole transaction failed: every caller hears why
            outcomes = [(None, failure)] * len(batch)
        for write, (result, error) in zip(batch, outcomes, strict=True):
            if write.future.done():
                continue
            if error is None:
                write.future.set_result(result)
            else:
                write.future.set_exception(error)


def _bind(fn: Callable[[sqlite3.Connection, *Ts], T], *args: *Ts) -> Work[T]:
    return lambda conn: fn(conn, *args)
