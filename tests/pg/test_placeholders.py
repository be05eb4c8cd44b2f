"""SQLite's placeholders become psycopg's, and nothing else in a statement changes meaning."""

import pytest

from callserver.store.pg.placeholders import translate


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
