"""The adapter's own statements: each prepared once and run by name, rows and errors as before
(through psycopg's cursor), and no prepared statement outliving the schema it was planned on."""

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing

import psycopg
import pytest

from callserver.store.pg.connection import Connection, connect
from callserver.store.pg.statements import Statements

_OURS = "SELECT statement FROM pg_prepared_statements WHERE name LIKE 'cs%' ORDER BY prepare_time"


@pytest.fixture
def conn(pg_url: str) -> Iterator[Connection]:
    with closing(connect(pg_url)) as opened:
        opened.execute("CREATE TABLE t (a INTEGER, b TEXT)")
        yield opened


def _prepared(conn: Connection) -> list[str]:
    return [text for (text,) in conn.execute(_OURS)]


def test_a_statement_is_prepared_once_and_runs_by_name_after(conn: Connection) -> None:
    for a in range(5):
        conn.execute("INSERT INTO t (a, b) VALUES (?, ?)", (a, f"b{a}"))

    assert _prepared(conn).count("INSERT INTO t (a, b) VALUES ($1, $2)") == 1
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (5,)


def test_rows_read_like_sqlite3_rows_and_rowcount_counts_changes(conn: Connection) -> None:
    conn.execute("INSERT INTO t (a, b) VALUES (1, 'one'), (2, 'two')")
    row = conn.execute("SELECT a, b AS name FROM t WHERE a = :a", {"a": 2}).fetchone()
    assert row is not None
    assert (row[0], row["name"], row.keys(), tuple(row)) == (2, "two", ["a", "name"], (2, "two"))

    cursor = conn.execute("SELECT a FROM t ORDER BY a")
    assert cursor.fetchone() == (1,)
    assert [a for (a,) in cursor] == [2]
    assert cursor.fetchone() is None
    assert conn.execute("UPDATE t SET b = 'x' WHERE a > ?", (0,)).rowcount == 2
    assert conn.execute("DELETE FROM t WHERE a > ?", (5,)).rowcount == 0


def test_a_name_used_twice_is_one_parameter(conn: Connection) -> None:
    assert conn.execute("SELECT :n::int + :n::int", {"n": 21}).fetchone() == (42,)


@pytest.mark.parametrize(("sql", "parameters"), [
    ("SELECT ?::int + ?::int", (1,)),
    ("SELECT :a::int", (1,)),
    ("SELECT :a::int + :b::int", {"a": 1}),
])
def test_parameters_that_do_not_fit_the_statement_are_refused(
    conn: Connection, sql: str, parameters: object
) -> None:
    with pytest.raises(sqlite3.OperationalError):
        conn.execute(sql, parameters)
    assert conn.execute("SELECT 1").fetchone() == (1,)  # the connection is still usable


def test_a_failed_statement_is_not_kept_prepared(conn: Connection) -> None:
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("SELECT missing FROM t")
    assert "SELECT missing FROM t" not in _prepared(conn)


@pytest.mark.parametrize("alter", [
    lambda conn: conn.execute("ALTER TABLE t ALTER COLUMN a TYPE TEXT"),
    lambda conn: conn.run_script("ALTER TABLE t ALTER COLUMN a TYPE TEXT; SELECT 1;"),
], ids=["statement", "script"])
def test_an_alter_deallocates_what_was_planned_before_it(
    conn: Connection, alter: Callable[[Connection], object]
) -> None:
    """Without that, the statement prepared before fails: cached plan must not change result
    type."""
    conn.execute("INSERT INTO t (a, b) VALUES (7, 'seven')")
    assert conn.execute("SELECT a FROM t").fetchone() == (7,)
    alter(conn)
    assert conn.execute("SELECT a FROM t").fetchone() == ("7",)


def test_statements_run_on_after_a_discard_dropped_them_from_the_server(
    conn: Connection,
) -> None:
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
    conn.execute("DISCARD ALL")
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_the_oldest_statement_makes_room_and_is_prepared_again_when_it_returns(
    pg_url: str,
) -> None:
    with closing(psycopg.connect(pg_url, autocommit=True, prepare_threshold=None)) as pg:
        statements = Statements(pg, max_prepared=2)
        for n in (1, 2, 3, 1):
            assert statements.run(f"SELECT {n}", ()).fetchone() == (n,)
        ours = [text for (text,) in statements.run(_OURS, ()).fetchall()]
    # 3 made room by dropping 1, 1 back by dropping 2, and this query by dropping 3.
    assert ours == ["SELECT 1", _OURS]


def test_executemany_still_works_after_an_alter_deallocated_everything(
    conn: Connection,
) -> None:
    """psycopg prepares nothing of its own, which `DEALLOCATE ALL` would pull from under it."""
    rows = [(n, f"b{n}") for n in range(3)]
    conn.executemany("INSERT INTO t (a, b) VALUES (?, ?)", rows)
    conn.execute("ALTER TABLE t ADD COLUMN c INT")
    conn.executemany("INSERT INTO t (a, b) VALUES (?, ?)", rows)
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (6,)
