"""Copy a SQLite store's rows into an empty PostgreSQL store of the same schema version.

Both schemas keep the same values (instants as text, flags as 0/1), so a row goes across as it
is. `copy_store` runs inside one transaction of the target (the caller's write) while the
source is read in one snapshot: either every table lands or none does. Tables go in foreign-key
order, and identity columns are moved past the ids copied so the next insert does not collide.
"""

import sqlite3
from dataclasses import dataclass
from graphlib import TopologicalSorter

from callserver.store.pg.connection import Connection

BATCH = 2000
_VERSIONS = "schema_version"


class CopyRefused(Exception):
    """The target cannot take the copy (not empty, another schema version); nothing written."""


@dataclass(frozen=True)
class Copied:
    table: str
    rows: int


def copy_store(target: Connection, source: sqlite3.Connection) -> list[Copied]:
    """Every table of `source` copied into `target`, which must be at `source`'s version and
    hold no rows; the rows copied per table."""
    source_version, target_version = _version(source), _version(target)
    if source_version != target_version:
        raise CopyRefused(
            f"the SQLite store is at schema version {source_version} and the PostgreSQL store "
            f"at {target_version}: open the SQLite store once with this release (callserver "
            "serve --db sqlite:///PATH) so both are at the same version, then copy")
    filled = [table for table in _target_tables(target) if _has_rows(target, table)]
    if filled:
        raise CopyRefused(f"the PostgreSQL store is not empty (rows in {', '.join(filled)}): "
                          "copy only into a new database")
    copied = [Copied(table, _copy_table(source, target, table)) for table in _tables(source)]
    _advance_identities(target)
    return copied


def _version(conn: sqlite3.Connection | Connection) -> int:
    (version,) = conn.execute(
        f"SELECT coalesce(max(version), 0) FROM {_VERSIONS}").fetchone() or (0,)
    return int(version)


def _tables(source: sqlite3.Connection) -> list[str]:
    """The source's tables, each after the tables its foreign keys reference."""
    names = [name for (name,) in source.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' AND name <> ? ORDER BY name", (_VERSIONS,))]
    graph = {name: {parent for (parent,) in source.execute(
        'SELECT "table" FROM pragma_foreign_key_list(?)', (name,))} - {name} for name in names}
    return list(TopologicalSorter(graph).static_order())


def _target_tables(target: Connection) -> list[str]:
    return [name for (name,) in target.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' AND table_name <> ? ORDER BY table_name", (_VERSIONS,))]


def _has_rows(target: Connection, table: str) -> bool:
    return target.execute(f"SELECT 1 FROM {_quoted(table)} LIMIT 1").fetchone() is not None


def _copy_table(source: sqlite3.Connection, target: Connection, table: str) -> int:
    rows = source.execute(f"SELECT * FROM {_quoted(table)}")
    columns = [_quoted(column[0]) for column in rows.description]
    insert = (f"INSERT INTO {_quoted(table)} ({', '.join(columns)}) "
              f"VALUES ({', '.join('?' * len(columns))})")
    count = 0
    while batch := rows.fetchmany(BATCH):
        target.executemany(insert, [tuple(row) for row in batch])
        count += len(batch)
    return count


def _advance_identities(target: Connection) -> None:
    """Each identity column's sequence set to its table's largest id (untouched when empty)."""
    identities = target.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'").fetchall()
    for table, column in identities:
        target.execute(
            f"SELECT setval(pg_get_serial_sequence(?, ?), max({_quoted(column)})) "
            f"FROM {_quoted(table)}", (_quoted(table), column))


def _quoted(name: str) -> str:
    """An identifier as SQL spells it: names come from the schema, never from a user."""
    return '"' + name.replace('"', '""') + '"'
