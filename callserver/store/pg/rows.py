"""Rows that read like `sqlite3.Row` (by index, by column name, unpacked, and `keys()`), and
the cursor that holds a statement's rows as a `sqlite3.Cursor` gives them.

A row is a tuple (so iteration, unpacking and `len` run at C speed) of a class made once per
set of column names, which holds the name-to-index map.
"""

from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any, ClassVar

import psycopg
from psycopg.pq.abc import PGresult


class Row(tuple[Any, ...]):
    __slots__ = ()
    _index: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        if key.__class__ is str:
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


class Cursor:
    """A statement's rows, all read from its result already, and the rows it changed (or
    returned) as `rowcount`; -1 for a statement that counts none, as psycopg has it."""

    __slots__ = ("_next", "_rows", "rowcount")

    def __init__(self, rows: list[Row], rowcount: int) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount

    def fetchone(self) -> Row | None:
        if self._next < len(self._rows):
            self._next += 1
            return self._rows[self._next - 1]
        return None

    def fetchall(self) -> list[Row]:
        rest = self._rows[self._next:] if self._next else self._rows
        self._next = len(self._rows)
        return rest

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


def row_class(result: PGresult | None) -> type[Row]:
    """The class of a result's rows, named from libpq's result (which costs less than
    building psycopg's `cursor.description`)."""
    if result is None:
        return _row_class(())
    return _row_class(tuple((result.fname(i) or b"").decode() for i in range(result.nfields)))


def row_factory(cursor: psycopg.Cursor[Any]) -> Callable[[Sequence[Any]], Row]:
    """psycopg's row factory, for what still runs on its cursors (`executemany`)."""
    return row_class(cursor.pgresult)


@lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        index.setdefault(name, position)  # as sqlite3.Row: a repeated name means its first
    return type("Row", (Row,), {"__slots__": (), "_index": index})
