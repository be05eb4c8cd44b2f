"""Versioned schema migrations: numbered `.sql` files applied in order, one transaction each.

A file is named `NNNN_what.sql`; its number is its version. Files hold schema statements only
(no BEGIN/COMMIT): the runner wraps each in `BEGIN IMMEDIATE`, re-reads the version inside that
transaction (so two processes opening one file apply each migration once) and records it in
`schema_version` before committing. A failing file leaves the database at the version before it.
"""

import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from callserver.store.columns import instant

MIGRATIONS = Path(__file__).with_name("migrations")
_NAME = re.compile(r"^(\d{4})_\w+\.sql$")


@dataclass(frozen=True, order=True)
class Migration:
    version: int
    path: Path


def discover(directory: Path = MIGRATIONS) -> list[Migration]:
    """The directory's migration files by version; a gap or a repeated number is a packaging bug."""
    found = sorted(
        Migration(int(match.group(1)), path)
        for path in directory.iterdir()
        if (match := _NAME.match(path.name))
    )
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise ValueError(f"migrations in {directory} must be numbered 1..n: {versions}")
    return found


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version "
        "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    (version,) = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(version)


def apply(conn: sqlite3.Connection, now: datetime, directory: Path = MIGRATIONS) -> int:
    """Bring the schema up to the newest file; returns the version reached.

    The connection must be in autocommit mode (`isolation_level=None`).
    """
    return apply_each(conn, discover(directory), now, begin=["BEGIN IMMEDIATE"],
                      run=_run_statements)


def apply_each(
    conn: sqlite3.Connection,
    migrations: Sequence[Migration],
    now: datetime,
    begin: Sequence[str],
    run: Callable[[sqlite3.Connection, str], None],
) -> int:
    """The runner either store uses: each migration in its own transaction (opened by `begin`'s
    statements), the version re-read inside it and recorded with the file; `run` executes a
    file's text. A database newer than the newest file is refused untouched."""
    newest = migrations[-1].version if migrations else 0
    for migration in migrations:
        try:
            for statement in begin:
                conn.execute(statement)
            version = current_version(conn)
            if version > newest:
                raise RuntimeError(
                    f"database schema is version {version}, newer than this release knows "
                    f"({newest}): upgrade callserver instead of opening it")
            if version < migration.version:
                run(conn, migration.path.read_text(encoding="utf-8"))
                conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                             (migration.version, instant(now)))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return current_version(conn)


def _run_statements(conn: sqlite3.Connection, script: str) -> None:
    for statement in statements(script):
        conn.execute(statement)


def statements(script: str) -> Iterator[str]:
    """Split a script into single statements (one may span lines, triggers included).

    `executescript` would be simpler, but it commits any open transaction first, which would
    let half a migration land.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""
    if _strip_comments(pending):
        raise ValueError(f"unterminated SQL statement: {pending.strip()[:80]!r}")


def _strip_comments(text: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in text.splitlines()).strip()
