"""Which isolation a PostgreSQL batch runs in: READ COMMITTED only when every write of the
batch asked for it (the swap's), REPEATABLE READ as soon as one did not (caps, claims)."""

from __future__ import annotations

import asyncio
import sqlite3

from callserver.store.pg import PgStore


def isolation(conn: sqlite3.Connection) -> str:
    (level,) = conn.execute("SHOW transaction_isolation").fetchone()
    return str(level)


async def test_a_batch_is_read_committed_only_if_every_write_asks(store: PgStore) -> None:
    relaxed = await asyncio.gather(*(store.write(isolation, read_committed=True)
                                     for _ in range(3)))
    assert relaxed == ["read committed"] * 3
    mixed = await asyncio.gather(store.write(isolation, read_committed=True),
                                 store.write(isolation))
    assert list(mixed) == ["repeatable read"] * 2
    assert await store.write(isolation) == "repeatable read"
