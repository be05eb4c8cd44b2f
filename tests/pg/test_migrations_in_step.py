"""SQLite's and PostgreSQL's migrations stay in step: the same numbered files, and a database
migrated by each ends at the same version with the same tables, columns and indexes."""

import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from callserver.store import migrate, open_store
from callserver.store.pg import migrate as pg_migrate
from callserver.store.pg import open_pg_store

Shape = dict[str, Any]
_TYPES = {"TEXT": "text", "INTEGER": "integer", "REAL": "real",
          "text": "text", "bigint": "integer", "integer": "integer", "double precision": "real"}


def test_every_sqlite_migration_has_a_postgresql_twin_of_the_same_name() -> None:
    sqlite_files = [m.path.name for m in migrate.discover(migrate.MIGRATIONS)]
    pg_files = [m.path.name for m in migrate.discover(pg_migrate.MIGRATIONS)]
    assert pg_files == sqlite_files


async def test_both_stores_end_with_the_same_schema(tmp_path: Path, pg_url: str) -> None:
    db_path = tmp_path / "callserver.sqlite3"
    await (await open_store(db_path)).close()
    with closing(sqlite3.connect(db_path)) as conn:
        expected = _sqlite_shape(conn)
    store = await open_pg_store(pg_url)
    try:
        found = await store.read(_pg_shape)
    finally:
        await store.close()
    assert found["version"] == expected["version"] == len(migrate.discover())
    assert found == expected


def _sqlite_shape(conn: sqlite3.Connection) -> Shape:
    tables = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    columns = {table: [(name, _TYPES[kind], bool(notnull or pk), _default(default))
                       for _, name, kind, notnull, default, pk
                       in conn.execute(f"PRAGMA table_info({table})")]
               for table in tables}
    indexes = {name: [column for _, _, column in conn.execute(f"PRAGMA index_info({name})")]
               for table in tables
               for _, name, _, origin, _ in conn.execute(f"PRAGMA index_list({table})")
               if origin == "c"}
    (version,) = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return {"version": version, "columns": columns, "indexes": indexes}


def _pg_shape(conn: sqlite3.Connection) -> Shape:
    columns: dict[str, list[tuple[str, str, bool, str | None]]] = {}
    for table, name, kind, nullable, default in conn.execute(
        "SELECT table_name, column_name, data_type, is_nullable, column_default "
        "FROM information_schema.columns WHERE table_schema = current_schema() "
        "ORDER BY table_name, ordinal_position"
    ):
        columns.setdefault(table, []).append(
            (name, _TYPES[kind], nullable == "NO", _default(default)))
    indexes = {name: list(keys) for name, keys in conn.execute(
        "SELECT i.relname, array_agg(a.attname::text ORDER BY k.position) "
        "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "JOIN pg_class t ON t.oid = x.indrelid "
        "CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, position) "
        "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
        "WHERE t.relnamespace = current_schema()::regnamespace AND NOT x.indisprimary "
        "GROUP BY i.relname")}
    (version,) = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return {"version": version, "columns": dict(sorted(columns.items(), key=_by_table(conn))),
            "indexes": indexes}


def _by_table(conn: sqlite3.Connection) -> Any:
    """Tables in creation order, as sqlite_master lists them."""
    order = {name: position for position, (name,) in enumerate(conn.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
        "AND relkind = 'r' ORDER BY oid"))}
    return lambda item: order[item[0]]


def _default(text: str | None) -> str | None:
    """A column default without PostgreSQL's cast: `'{}'::text` is SQLite's `'{}'`."""
    return None if text is None else re.sub(r"::[a-z ]+$", "", text)


async def test_every_text_column_sorts_bytewise_as_in_sqlite(pg_url: str) -> None:
    """SQLite compares text by bytes; instants (text order is time order) and page cursors
    rely on it, so each PostgreSQL text column is COLLATE "C" whatever the database's locale."""
    store = await open_pg_store(pg_url)
    try:
        other = await store.read(lambda conn: conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = 'text' "
            "AND table_name <> 'schema_version' AND collation_name IS DISTINCT FROM 'C'"
        ).fetchall())
    finally:
        await store.close()
    assert other == []
