"""A PostgreSQL connection that the SQLite repositories can use as their `sqlite3.Connection`.

Only the part of the API the repositories and the store use: `execute` and `executemany` with
SQLite's `?` and `:name` placeholders, cursors with `fetchone`, `fetchall`, iteration and
`rowcount`, rows like `sqlite3.Row`, `in_transaction`, and errors as sqlite3's. The psycopg
connection is in autocommit mode, as the SQLite one is: the store issues BEGIN and COMMIT.
`execute` runs prepared statements of its own (see `statements`); psycopg prepares none.
A connection the server dropped (a restart, a failover) is opened again before the next
transaction; the work in flight when it dropped failed with its error.
"""

from collections.abc import Iterable
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.pq import TransactionStatus

from callserver.store.pg.errors import as_sqlite
from callserver.store.pg.placeholders import translate
from callserver.store.pg.rows import Cursor, Row, row_factory
from callserver.store.pg.statements import ENCODING, Statements

Params = Any  # a sequence for `?`, a mapping for `:name`, as sqlite3 takes them
_IN_TRANSACTION = (TransactionStatus.INTRANS, TransactionStatus.INERROR, TransactionStatus.ACTIVE)


class Connection:
    def __init__(self, url: str) -> None:
        self._url = url
        self._pg = _open(url)
        self._statements = Statements(self._pg)

    def reopen_if_lost(self) -> None:
        if self._pg.broken:
            self._pg.close()
            self._pg = _open(self._url)
            self._statements = Statements(self._pg)

    def execute(self, sql: str, parameters: Params = ()) -> Cursor:
        try:
            return self._statements.run(sql, parameters)
        except psycopg.Error as error:
            raise as_sqlite(error) from error

    def executemany(self, sql: str, seq_of_parameters: Iterable[Params]) -> psycopg.Cursor[Row]:
        cursor = self._pg.cursor()
        try:
            cursor.executemany(translate(sql), seq_of_parameters)
        except psycopg.Error as error:
            raise as_sqlite(error) from error
        return cursor

    def run_script(self, script: str) -> None:
        """Several statements in one round trip, as written: no placeholders, no parameters
        (a migration file, whose function bodies SQLite's statement splitter cannot cut)."""
        try:
            self._pg.execute(script.encode())
            self._statements.forget()  # a script may well change the schema
        except psycopg.Error as error:
            raise as_sqlite(error) from error

    @property
    def in_transaction(self) -> bool:
        return self._pg.info.transaction_status in _IN_TRANSACTION

    def close(self) -> None:
        self._pg.close()


def connect(url: str) -> Connection:
    """Connect to `url`, which must carry no password: libpq reads it from PGPASSWORD (or
    ~/.pgpass), so it never appears in a command line, a config file or a log line."""
    if "password" in conninfo_to_dict(url):
        raise ValueError("the database URL must not hold a password: set PGPASSWORD instead")
    return Connection(url)


def _open(url: str) -> psycopg.Connection[Row]:
    """A connection with the session defaults the store relies on: commits that do not wait
    for the WAL flush unless a durable write asks (see `transactions`), text in UTF-8, and no
    statements prepared by psycopg, which would not know when `Statements` deallocates."""
    try:
        pg = psycopg.connect(url, autocommit=True, row_factory=row_factory,
                             application_name="callserver", client_encoding=ENCODING,
                             prepare_threshold=None)
        pg.execute("SET synchronous_commit = off")
    except psycopg.Error as error:
        raise as_sqlite(error) from error
    return pg
