"""The SQL `WHERE` a `CallFilter` stands for, parameterised: column names never come from the
request, and a tag's key (checked against TAG_KEY) is kept out of quotes.

A publisher's scope is a separate condition ANDed to whatever the request filters on, so a
`publisher=` naming someone else selects nothing rather than widening the view. Test calls
(`probe.test_calls`) are left out the same way, in this one place, unless `test=include` or
`test=only` asks for them: every report, list, dashboard page and count built on `where`
shows customers' calls alone by default.
"""

from __future__ import annotations

from typing import Any

from callserver.reports.filters import FIELD_COLUMNS, CallFilter, TestCalls
from callserver.store.columns import instant

_TEST_SQL: dict[TestCalls, str | None] = {"exclude": "test = 0", "include": None,
                                          "only": "test = 1"}


def where(f: CallFilter) -> tuple[str, tuple[Any, ...]]:
    """`WHERE` text (without the keyword) and its parameters."""
    clauses: list[str] = []
    values: list[Any] = []
    if f.scope is not None:
        clauses.append("publisher = ?")
        values.append(f.scope)
    if (test := _TEST_SQL[f.test]) is not None:
        clauses.append(test)
    if f.since is not None:
        clauses.append("started_at >= ?")
        values.append(instant(f.since))
    if f.until is not None:
        clauses.append("started_at < ?")
        values.append(instant(f.until))
    for field, column in FIELD_COLUMNS:
        chosen: tuple[str, ...] = getattr(f, field)
        if chosen:
            clauses.append(f"{column} IN ({', '.join('?' for _ in chosen)})")
            values.extend(chosen)
    for key, value in f.tags:
        tag, path = tag_sql(key)
        clauses.append(f"{tag} = ?")
        values.extend((*path, value))
    if f.converted is not None:
        clauses.append("converted = ?")
        values.append(int(f.converted))
    return " AND ".join(clauses) or "1 = 1", tuple(values)


def tag_sql(key: str) -> tuple[str, tuple[str]]:
    """A call's value of tag `key` as text; TAG_KEY keeps quotes out of the key, hence out of
    the JSON path."""
    return "CAST(json_extract(tags, ?) AS TEXT)", (f'$."{key}"',)
