"""The store's database opened synchronously, for work that runs outside the server's event loop:
the inventory sync of a reload (on a worker thread), `check --db` and the `numbers` commands.

A `--db` value names a SQLite file (a path or `sqlite://PATH`) or a PostgreSQL URL, as for
`serve`. On SQLite, WAL lets this connection and the server's store share the file; on
PostgreSQL it is one more client. Each write here is one short transaction, so neither side
waits on the other for long.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, TypeVarTuple

from callserver.store import transactions
from callserver.store.db import BUSY_TIMEOUT_S, prepare
from callserver.store.open import is_postgres, sqlite_path
from callserver.store.pg import migrate as pg_migrate
from callserver.store.pg import transactions as pg_transactions
from callserver.store.pg.connection import Connection as PgConnection
from callserver.store.pg.connection import connect as pg_connect

T = TypeVar("T")
Ts = TypeVarTuple("Ts")
Conn = TypeVar("Conn", sqlite3.Connection, PgConnection)
Target = str | Path


@contextmanager
def connected(target: Target) -> Iterator[sqlite3.Connection]:
    """The database, created and migrated if need be, as the store opens it. On PostgreSQL
    the connection is the adapter that stands in for a `sqlite3.Connection`."""
    if isinstance(target, str) and is_postgres(target):
        with connected_pg(target) as pg:
            yield pg  # type: ignore[misc]
        return
    path = sqlite_path(target)
    with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)) as conn:
        prepare(conn, datetime.now(UTC))
        yield conn


@contextmanager
def connected_pg(url: str) -> Iterator[PgConnection]:
    """The PostgreSQL database at `url`, migrated if need be, typed as the adapter it is (for
    `copy_store`, which needs PostgreSQL; `connected` passes it off as a `sqlite3.Connection`)."""
    with closing(pg_connect(url)) as pg:
        pg_migrate.apply(pg, datetime.now(UTC))
        yield pg


@contextmanager
def read_only(target: Target) -> Iterator[sqlite3.Connection | None]:
    """The database opened for reading only (never created or migrated); None if it has no
    schema yet (an absent file, an empty PostgreSQL schema)."""
    if isinstance(target, str) and is_postgres(target):
        with closing(pg_connect(target)) as pg:
            (table,) = pg.execute("SELECT to_regclass('schema_version')").fetchone() or (None,)
            yield None if table is None else pg  # type: ignore[misc]
        return
    path = Path(sqlite_path(target))
    if not path.exists():
        yield None
        return
    uri = f"{path.absolute().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S,
                                 isolation_level=None)) as conn:
        conn.row_factory = sqlite3.Row
        yield conn


def write(conn: Conn, fn: Callable[[Conn, *Ts], T], *args: *Ts) -> T:
    """Run `fn(conn, *args)` in one durable transaction, as `Store.write` would; its error,
    if it raises, after rolling its changes back."""
    commit: Callable[..., list[transactions.Outcome]] = (
        pg_transactions.commit_batch if isinstance(conn, PgConnection)
        else transactions.commit_batch)
    [(result, error)] = commit(conn, [lambda c: fn(c, *args)], True)
    if error is not None:
        raise error
    done: T = result
    return done


def reading(conn: sqlite3.Connection, fn: Callable[[sqlite3.Connection, *Ts], T],
            *args: *Ts) -> T:
    """Run `fn(conn, *args)` in one read snapshot."""
    read: Callable[..., Any] = (
        pg_transactions.read if isinstance(conn, PgConnection) else transactions.read)
    done: T = read(conn, lambda c: fn(c, *args))
    return done
