"""Fixtures on one private PostgreSQL server per test session: each test gets a schema of its
own (a URL whose search_path names it), and `store` is a `PgStore` on it, so the store tests
written for SQLite's `store` fixture run here on PostgreSQL."""

from collections.abc import AsyncIterator, Iterator
from itertools import count
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from psycopg import sql

from callserver.store.open import AnyStore, open_store
from callserver.store.pg import PgStore, open_pg_store
from tests.pg.server import Server, private_postgres

_schemas = count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    with private_postgres() as server:
        yield server


@pytest.fixture
def pg_url(pg_server: Server) -> Iterator[str]:
    """A URL of the server whose tables live in a new, empty schema, dropped afterwards."""
    schema = f"test_{next(_schemas)}"
    with psycopg.connect(pg_server.url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    yield f"{pg_server.url}?options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(pg_server.url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture
async def store(pg_url: str) -> AsyncIterator[PgStore]:
    opened = await open_pg_store(pg_url)
    yield opened
    await opened.close()


@pytest.fixture(params=["sqlite", "postgresql"])
async def either(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AnyStore]:
    """The SQLite store, then the PostgreSQL store: a test of both asserts the same answers."""
    if request.param == "sqlite":
        opened: AnyStore = await open_store(tmp_path / "callserver.sqlite3")
    else:
        opened = await open_pg_store(request.getfixturevalue("pg_url"))
    yield opened
    await opened.close()
