"""A SQLite or PostgreSQL database stopped just before one migration, for a test to fill with
rows of the older schema before upgrading it to the newest, as a release upgrade would."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from callserver.store import migrate
from callserver.store.pg import migrate as pg_migrate
from callserver.store.pg.connection import connect

Migrate = Callable[[Any, datetime, Path], int]


@contextmanager
def before_migration(engine: str, version: int, now: datetime, tmp_path: Path,
                     request: pytest.FixtureRequest) -> Iterator[tuple[Any, Callable[[], None]]]:
    """A connection to a database of `engine` at `version - 1`, and the upgrade to the newest
    (which asserts it got there)."""
    shipped = migrate.MIGRATIONS if engine == "sqlite" else pg_migrate.MIGRATIONS
    apply: Migrate = migrate.apply if engine == "sqlite" else pg_migrate.apply
    before = tmp_path / "before"
    shutil.copytree(shipped, before)
    for later in migrate.discover(before)[version - 1:]:
        later.path.unlink()
    conn: Any = (sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
                 if engine == "sqlite" else connect(request.getfixturevalue("pg_url")))

    def upgrade() -> None:
        assert apply(conn, now, shipped) == len(migrate.discover(shipped))

    with closing(conn):
        assert apply(conn, now, before) == version - 1
        yield conn, upgrade
