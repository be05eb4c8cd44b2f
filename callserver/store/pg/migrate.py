"""PostgreSQL schema migrations: the numbered files of `pg_migrations`, one transaction each.

They mirror SQLite's `migrations` version for version (a test holds them in step). Each file
runs whole, in one round trip (PL/pgSQL bodies need no splitting), under a transaction-level
advisory lock, so several nodes starting together on a new database apply each file once.
"""

from datetime import datetime
from pathlib import Path

from callserver.store.migrate import apply_each, discover
from callserver.store.pg.connection import Connection

MIGRATIONS = Path(__file__).parent.parent / "pg_migrations"
# Any fixed key will do: this is 0x63616C6C73657276, "callserv".
_LOCK = "SELECT pg_advisory_xact_lock(7161124095544095350)"


def apply(conn: Connection, now: datetime, directory: Path = MIGRATIONS) -> int:
    """Bring the schema up to the newest file; returns the version reached."""
    return apply_each(conn, discover(directory), now,  # type: ignore[arg-type]
                      begin=["BEGIN", _LOCK],
                      run=Connection.run_script)  # type: ignore[arg-type]
