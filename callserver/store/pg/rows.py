"""Rows that read like `sqlite3.Row`: by index, by column name, unpacked, and `keys()`.

A row is a tuple (so iteration, unpacking and `len` run at C speed) of a class made once per
set of column names, which holds the name-to-index map.
"""

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, ClassVar

import psycopg


class Row(tuple[Any, ...]):
    __slots__ = ()
    _index: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        if key.__class__ is str:
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


@lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        index.setdefault(name, position)  # as sqlite3.Row: a repeated name means its first
    return type("Row", (Row,), {"__slots__": (), "_index": index})


def row_factory(cursor: psycopg.Cursor[Any]) -> Callable[[Sequence[Any]], Row]:
    """psycopg's row factory: called once per result, returns the maker of its rows. The
    names come from libpq's result, which costs less than building `cursor.description`."""
    result = cursor.pgresult
    if result is None:
        return _row_class(())
    return _row_class(tuple((result.fname(i) or b"").decode() for i in range(result.nfields)))
