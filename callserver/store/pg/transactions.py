"""What runs on the PostgreSQL store's thread during one hop: a batch of writes, or a read.

The same contract as `callserver.store.transactions` (one transaction per batch, a savepoint
per write, one commit), with PostgreSQL's isolation in place of SQLite's single writer. Writes
run in REPEATABLE READ, so two nodes racing for one row (a pool number, an outbox claim) never
both win: the loser's statement fails with a serialization failure and its whole batch runs
again on a fresh snapshot. A batch of writes that each hold alone (the swap's) runs in READ
COMMITTED instead, where the race cannot be lost. `durable=False` commits with
`synchronous_commit = off` (survives a crash of callserver, not one of the database server);
`durable=True` waits for the WAL flush.
"""

import random
import sqlite3
import time
from collections.abc import Sequence
from typing import Any

from callserver.store.pg.connection import Connection
from callserver.store.pg.errors import retryable
from callserver.store.transactions import Outcome, Work, in_one_transaction

ATTEMPTS = 20
_BEGIN_WRITE = "BEGIN ISOLATION LEVEL REPEATABLE READ"
_BEGIN_COMMITTED = "BEGIN ISOLATION LEVEL READ COMMITTED"
_BEGIN_READ = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"


class LostRace(Exception):
    """A write lost a race with another transaction: the batch must run again."""

    def __init__(self, error: sqlite3.Error) -> None:
        super().__init__(str(error))
        self.error = error


def commit_batch(conn: Connection, writes: Sequence[Work[Any]], durable: bool,
                 read_committed: bool = False) -> list[Outcome]:
    """Run writes in one transaction, each in its own savepoint, commit once. A lost race
    undoes the whole batch, so then each write runs again in a transaction of its own (up to
    ATTEMPTS times, with a growing random pause): a race costs only the writes in it, and two
    nodes leasing from one pool stop dooming each other's batches of bystanders. If the commit
    fails, every write of the batch is rolled back and the error raised. `read_committed`
    (every write's statements hold alone, see `GroupCommitStore.write`) begins the batch in
    READ COMMITTED, where a row another node changed is re-checked, not a lost race."""
    begin = _BEGIN_COMMITTED if read_committed else _BEGIN_WRITE
    try:
        return _attempt(conn, writes, durable, begin)
    except LostRace:
        return [_alone(conn, write, durable, begin) for write in writes]


def _alone(conn: Connection, write: Work[Any], durable: bool, begin: str) -> Outcome:
    for attempt in range(1, ATTEMPTS):
        try:
            return _attempt(conn, [write], durable, begin)[0]
        except LostRace:
            time.sleep(random.uniform(0, 0.001 * attempt))  # let the winner commit
    try:
        return _attempt(conn, [write], durable, begin)[0]
    except LostRace as lost:
        return None, lost.error


def _attempt(conn: Connection, writes: Sequence[Work[Any]], durable: bool,
             begin: str) -> list[Outcome]:
    conn.reopen_if_lost()
    statements = [begin, "SET LOCAL synchronous_commit = on"] if durable else [begin]
    return in_one_transaction(conn, writes, statements, _raise_if_lost)  # type: ignore[arg-type]


def _raise_if_lost(error: Exception) -> None:
    """A lost race undoes the batch, not the write: its snapshot is stale for every write."""
    if isinstance(error, sqlite3.Error) and retryable(error):
        raise LostRace(error) from error


def read(conn: Connection, work: Work[Any]) -> Any:
    """Run a read in one snapshot, so several queries of one function agree with each other."""
    conn.reopen_if_lost()
    conn.execute(_BEGIN_READ)
    try:
        return work(conn)  # type: ignore[arg-type]
    finally:
        if conn.in_transaction:  # not when the connection dropped mid-read
            conn.execute("ROLLBACK")  # a read-only snapshot has nothing to commit
