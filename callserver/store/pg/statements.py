"""The store's statements, run on libpq itself: each prepared once per connection, its
parameters and rows adapted by psycopg's own (C) adapters.

Why not psycopg's cursor: a swap request is a few short statements, and the cursor's Python
around each one (a generator, the query's conversion, a cursor and a transformer each time,
its prepared-statement bookkeeping) cost about as much CPU as the round trip itself: 19 µs for
a one-row SELECT against 12 µs on libpq. Here a statement is a dict lookup, one send and one
wait, and the node's CPU per swap request fell by a quarter (bench/scale.py). The same
adapters send the same types, so a statement means what it meant under psycopg's cursor.

A statement is prepared (and described, so its rows' class is made once) the first time it
runs with a given set of parameter types. At most MAX_PREPARED stay prepared: the oldest makes
room. A DROP or ALTER may change what a prepared statement returns, and a DISCARD or DEALLOCATE
drops them, so after one (or a script, see `Connection.run_script`) `forget` deallocates them
all, as psycopg does.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import errors, pq
from psycopg.adapt import PyFormat, Transformer
from psycopg.generators import execute
from psycopg.pq.abc import PGresult

from callserver.store.pg.placeholders import Numbered, numbered
from callserver.store.pg.rows import Cursor, Row, row_class

MAX_PREPARED = 256
ENCODING = "utf-8"  # the connection's client_encoding (see `connection`)
# A schema change may change what a statement returns; the others drop them from the server.
_INVALIDATING = (b"DROP", b"ALTER", b"DISCARD", b"DEALLOCATE")
_TUPLES_OK = pq.ExecStatus.TUPLES_OK
_DONE = frozenset({pq.ExecStatus.COMMAND_OK, pq.ExecStatus.EMPTY_QUERY})
_FATAL = pq.ExecStatus.FATAL_ERROR


@dataclass(frozen=True)
class _Prepared:
    name: bytes
    row: type[Row]


class Statements:
    """The prepared statements of one psycopg connection (which prepares none of its own)."""

    def __init__(self, pg: psycopg.Connection[Any], max_prepared: int = MAX_PREPARED) -> None:
        self._pg = pg
        self._max = max_prepared
        self._pgconn = pg.pgconn
        self._adapt = Transformer(pg)
        self._prepared: dict[tuple[bytes, tuple[int, ...]], _Prepared] = {}
        self._made = 0  # names are never reused, not even after `forget`

    def run(self, sql: str, parameters: Any) -> Cursor:
        """Run one statement of SQLite's SQL with sqlite3's kind of parameters."""
        statement = numbered(sql)
        values = _values(statement, parameters)
        if values:
            params = self._adapt.dump_sequence(values, _formats(len(values)))
            types, formats = self._adapt.types or (), self._adapt.formats
        else:
            params, types, formats = None, (), None
        prepared = (self._prepared.get((statement.text, types))
                    or self._prepare(statement.text, types))
        self._pgconn.send_query_prepared(prepared.name, params, param_formats=formats)
        result = self._result()
        if result.status == _TUPLES_OK:
            self._adapt.set_pgresult(result)
            count = result.ntuples
            return Cursor(self._adapt.load_rows(0, count, prepared.row), count)
        if (result.command_status or b"").startswith(_INVALIDATING):
            self.forget()
        changed = result.command_tuples
        return Cursor([], -1 if changed is None else changed)

    def forget(self) -> None:
        """Deallocate every prepared statement, to prepare each again when next it runs."""
        if self._prepared:
            self._prepared.clear()
            self._pgconn.send_query(b"DEALLOCATE ALL")
            self._result()

    def _prepare(self, text: bytes, types: Sequence[int]) -> _Prepared:
        name = b"cs%d" % self._made
        self._made += 1
        self._pgconn.send_prepare(name, text, param_types=types)
        self._result()
        self._pgconn.send_describe_prepared(name)
        prepared = _Prepared(name, row_class(self._result()))
        if len(self._prepared) >= self._max:  # after the new one is known to work
            oldest = next(iter(self._prepared))
            self._pgconn.send_query(b"DEALLOCATE " + self._prepared.pop(oldest).name)
            self._result()
        self._prepared[text, tuple(types)] = prepared
        return prepared

    def _result(self) -> PGresult:
        """The one result of what was sent; the server's error raised as psycopg's."""
        results: list[PGresult] = self._pg.wait(execute(self._pgconn))
        (result,) = results
        status = result.status
        if status == _TUPLES_OK or status in _DONE:
            return result
        if status == _FATAL:
            raise errors.error_from_result(result, encoding=ENCODING)
        raise psycopg.ProgrammingError(f"unexpected result: {pq.ExecStatus(status).name}")


def _values(statement: Numbered, parameters: Any) -> Sequence[Any]:
    """The parameters in `$n` order, refused as psycopg refuses them."""
    if statement.names:
        try:
            return [parameters[name] for name in statement.names]
        except (KeyError, IndexError, TypeError) as error:
            raise psycopg.ProgrammingError(
                f"the statement needs a mapping of {', '.join(statement.names)}") from error
    if parameters is None:
        parameters = ()
    if len(parameters) != statement.count:
        raise psycopg.ProgrammingError(f"the statement has {statement.count} placeholders but "
                                       f"{len(parameters)} parameters were passed")
    return parameters  # type: ignore[no-any-return]


@lru_cache(maxsize=64)
def _formats(count: int) -> list[PyFormat]:
    return [PyFormat.AUTO] * count
