"""The store's file opened synchronously, for work that runs outside the server's event loop:
the inventory sync of a reload (on a worker thread), `check --db` and the `numbers` commands.
SQLite's WAL lets this connection and the server's store share the file; each write here is
one short transaction, so neither waits on the other for long."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar, TypeVarTuple

from callserver.store.db import BUSY_TIMEOUT_S, prepare
from callserver.store.transactions import commit_batch, read

T = TypeVar("T")
Ts = TypeVarTuple("Ts")
_POSTGRES = ("postgresql://", "postgres://")


def sqlite_file(target: str | Path) -> Path:
    """The SQLite file a `--db` value names (a path, or `sqlite://PATH`); ValueError for a
    PostgreSQL URL, whose store does not hold the inventory yet."""
    text = str(target)
    if text.startswith(_POSTGRES):
        raise ValueError(f"{text}: the number inventory needs the SQLite store for now")
    return Path(text.removeprefix("sqlite://"))


@contextmanager
def connected(path: str | Path) -> Iterator[sqlite3.Connection]:
    """The file, created and migrated if need be, as the store opens it."""
    with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)) as conn:
        prepare(conn, datetime.now(UTC))
        yield conn


@contextmanager
def read_only(path: str | Path) -> Iterator[sqlite3.Connection | None]:
    """The file opened for reading only (never created or migrated); None if it is absent."""
    if not Path(path).exists():
        yield None
        return
    uri = f"{Path(path).absolute().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S,
                                 isolation_level=None)) as conn:
        conn.row_factory = sqlite3.Row
        yield conn


def write(conn: sqlite3.Connection, fn: Callable[[sqlite3.Connection, *Ts], T],
          *args: *Ts) -> T:
    """Run `fn(conn, *args)` in one durable transaction, as `Store.write` would; its error,
    if it raises, after rolling its changes back."""
    [(result, error)] = commit_batch(conn, [lambda c: fn(c, *args)], durable=True)
    if error is not None:
        raise error
    return result


def reading(conn: sqlite3.Connection, fn: Callable[[sqlite3.Connection, *Ts], T],
            *args: *Ts) -> T:
    """Run `fn(conn, *args)` in one read snapshot."""
    return read(conn, lambda c: fn(c, *args))
