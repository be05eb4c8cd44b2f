"""What runs on the database thread during one hop: a batch of writes, or a read.

These are plain functions of a `sqlite3.Connection` in autocommit mode; `db.Store` ships them to
aiosqlite's worker thread. A write is any function of the connection (usually several repository
calls); it must not BEGIN or COMMIT itself. The PostgreSQL store's batches run through
`in_one_transaction` too, with their own BEGIN and a check for lost races.
"""

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
Work = Callable[[sqlite3.Connection], T]
Outcome = tuple[Any, Exception | None]


def commit_batch(
    conn: sqlite3.Connection, writes: Sequence[Work[Any]], durable: bool,
    read_committed: bool = False,
) -> list[Outcome]:
    """Run writes in one transaction, each inside its own savepoint, and commit once.

    One commit for many writes is what makes the swap endpoint fast and `synchronous=FULL`
    affordable. `durable` asks for FULL (survives power loss) instead of NORMAL (survives a
    crash) for this commit. `read_committed` changes nothing here: SQLite's single writer
    runs each transaction alone. If the commit itself fails, every write of the batch is rolled back
    and the error raised.
    """
    conn.execute("PRAGMA synchronous = FULL" if durable else "PRAGMA synchronous = NORMAL")
    return in_one_transaction(conn, writes, ["BEGIN IMMEDIATE"])


def in_one_transaction(
    conn: sqlite3.Connection,
    writes: Sequence[Work[Any]],
    begin: Sequence[str],
    check: Callable[[Exception], None] = lambda error: None,
) -> list[Outcome]:
    """The batch loop either store runs: `begin`'s statements, each write in a savepoint, one
    commit; the outcome of each write.

    Writes almost never fail, so the batch first runs without savepoints (two statements
    and a GIL hand-off less per write). If one does fail, that transaction is rolled back and
    the batch runs again with a savepoint per write, so the failing write cannot undo its
    neighbours; writes are functions of the connection alone, so running one twice is safe
    (the PostgreSQL store re-runs lost races the same way). `check` sees a write's error
    before it is rolled back, and may raise to abandon the whole transaction instead.
    """
    try:
        for statement in begin:
            conn.execute(statement)
        if len(writes) == 1:
            return [_alone(conn, writes[0], check)]
        outcomes = _unguarded(conn, writes, check)
        if outcomes is None:
            for statement in begin:
                conn.execute(statement)
            outcomes = [_in_savepoint(conn, write, check) for write in writes]
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


def _unguarded(conn: sqlite3.Connection, writes: Sequence[Work[Any]],
               check: Callable[[Exception], None]) -> list[Outcome] | None:
    """Every write's outcome, or None (and the transaction rolled back) if one failed."""
    outcomes: list[Outcome] = []
    for write in writes:
        try:
            outcomes.append((write(conn), None))
        except Exception as error:
            check(error)
            conn.execute("ROLLBACK")
            return None
    return outcomes


def _alone(conn: sqlite3.Connection, write: Work[Any],
           check: Callable[[Exception], None]) -> Outcome:
    """The batch's only write: its error rolls the transaction back; the commit's propagates."""
    try:
        result = write(conn)
    except Exception as error:
        check(error)
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return None, error
    conn.execute("COMMIT")
    return result, None


def _in_savepoint(conn: sqlite3.Connection, write: Work[Any],
                  check: Callable[[Exception], None]) -> Outcome:
    conn.execute("SAVEPOINT one_write")
    try:
        result = write(conn)
    except Exception as error:
        check(error)
        conn.execute("ROLLBACK TO one_write")
        conn.execute("RELEASE one_write")
        return None, error
    conn.execute("RELEASE one_write")
    return result, None


def read(conn: sqlite3.Connection, work: Work[T]) -> T:
    """Run a read in one snapshot, so several queries of one function agree with each other."""
    conn.execute("BEGIN")
    try:
        return work(conn)
    finally:
        conn.execute("COMMIT")


def first_row(conn: sqlite3.Connection, sql: str, params: Any = ()) -> sqlite3.Row | None:
    """The first row of a query, reading it to the end so no statement is left in progress."""
    rows = conn.execute(sql, params).fetchall()
    return rows[0] if rows else None
