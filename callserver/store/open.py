"""Open the store a `--db` value names: a PostgreSQL URL, or a SQLite file.

`postgresql://user@host:port/db` (or `postgres://`) opens a `PgStore`, the password coming from
PGPASSWORD, never from the URL; `sqlite:///path` or a plain path opens the SQLite `Store`.
"""

from pathlib import Path

from callserver.store import db
from callserver.store.pg import PgStore, open_pg_store

AnyStore = db.Store | PgStore
_POSTGRES = ("postgresql://", "postgres://")
_SQLITE = "sqlite://"


async def open_store(target: str | Path) -> AnyStore:
    if isinstance(target, str) and is_postgres(target):
        return await open_pg_store(target)
    return await db.open_store(sqlite_path(target))


def is_postgres(target: str) -> bool:
    return target.startswith(_POSTGRES)


def sqlite_path(target: str | Path) -> str | Path:
    """The file a SQLite target names: `sqlite:///var/db.sqlite3` is `/var/db.sqlite3`,
    `sqlite://relative.sqlite3` is `relative.sqlite3`, anything else is a path already."""
    if isinstance(target, str) and target.startswith(_SQLITE):
        return target.removeprefix(_SQLITE)
    return target
