"""PostgreSQL schema migrations: the numbered files of `pg_migrations`, one transaction each.

They mirror SQLite's `migrations` version for version (a test holds them in step). Each file
runs whole, in one round trip (PL/pgSQL bodies need no splitting), under a transaction-level
advisory lock, so several nodes starting together on a new database apply each file once.
"""

from datetime import datetime
from pathlib import Path

from callserver.store.columns import instant
from callserver.store.migrate import current_version, discover
from callserver.store.pg.connection import Connection

MIGRATIONS = Path(__file__).parent.parent / "pg_migrations"
_LOCK = 0x63616C6C73657276  # any fixed key: "callserv"


def apply(conn: Connection, now: datetime, directory: Path = MIGRATIONS) -> int:
    """Bring the schema up to the newest file; returns the version reached."""
    migrations = discover(directory)
    newest = migrations[-1].version if migrations else 0
    for migration in migrations:
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT pg_advisory_xact_lock(?)", (_LOCK,))
            version = current_version(conn)  # type: ignore[arg-type]
            if version > newest:
                raise RuntimeError(
                    f"database schema is version {version}, newer than this release knows "
                    f"({newest}): upgrade callserver instead of opening it"
                )
            if version < migration.version:
                conn.run_script(migration.path.read_text(encoding="utf-8"))
                conn.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (migration.version, instant(now)),
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return current_version(conn)  # type: ignore[arg-type]
