"""SQLite's placeholders become psycopg's and libpq's, and nothing else in a statement changes
meaning."""

import pytest

from callserver.store.pg.placeholders import Numbered, numbered, translate


@pytest.mark.parametrize(("sqlite", "psycopg"), [
    ("SELECT * FROM t WHERE a = ? AND b IN (?, ?)",
     "SELECT * FROM t WHERE a = %s AND b IN (%s, %s)"),
    ("UPDATE t SET x = :now WHERE y > :now", "UPDATE t SET x = %(now)s WHERE y > %(now)s"),
    ("SELECT strftime('%Y-%m', at) FROM t WHERE a = ?",
     "SELECT strftime('%%Y-%%m', at) FROM t WHERE a = %s"),
    ("SELECT 'is it? :no' FROM t WHERE a = ?", "SELECT 'is it? :no' FROM t WHERE a = %s"),
    ("SELECT 'it''s ?' || ?", "SELECT 'it''s ?' || %s"),
    ('SELECT "odd?name" FROM t', 'SELECT "odd?name" FROM t'),
    ("SELECT a::text FROM t -- why? :because\nWHERE b = :b",
     "SELECT a::text FROM t -- why? :because\nWHERE b = %(b)s"),
    ("SELECT a /* ? */ FROM t WHERE b = ? AND c LIKE 'x%'",
     "SELECT a /* ? */ FROM t WHERE b = %s AND c LIKE 'x%%'"),
    ("SELECT 5 % 3", "SELECT 5 %% 3"),
])
def test_placeholders_are_translated_and_the_rest_kept(sqlite: str, psycopg: str) -> None:
    assert translate(sqlite) == psycopg


def test_a_statement_mixing_styles_is_refused() -> None:
    with pytest.raises(ValueError, match="mixes"):
        translate("SELECT ? WHERE a = :a")


@pytest.mark.parametrize(("sqlite", "libpq", "names", "count"), [
    ("SELECT * FROM t WHERE a = ? AND b IN (?, ?)",
     "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)", (), 3),
    ("UPDATE t SET x = :now, y = :then WHERE y > :now",
     "UPDATE t SET x = $1, y = $2 WHERE y > $1", ("now", "then"), 2),
    ("SELECT strftime('%Y-%m', at) FROM t WHERE a = ?",
     "SELECT strftime('%Y-%m', at) FROM t WHERE a = $1", (), 1),
    ("SELECT 'is it? :no', \"odd?name\" FROM t -- why? :because\nWHERE b = :b /* ? */",
     "SELECT 'is it? :no', \"odd?name\" FROM t -- why? :because\nWHERE b = $1 /* ? */",
     ("b",), 1),
    ("SELECT a::text, 5 % 3 FROM t", "SELECT a::text, 5 % 3 FROM t", (), 0),
])
def test_placeholders_are_numbered_for_libpq(sqlite: str, libpq: str, names: tuple[str, ...],
                                             count: int) -> None:
    assert numbered(sqlite) == Numbered(libpq.encode(), names, count)


def test_a_statement_mixing_styles_is_not_numbered_either() -> None:
    with pytest.raises(ValueError, match="mixes"):
        numbered("SELECT ? WHERE a = :a")
