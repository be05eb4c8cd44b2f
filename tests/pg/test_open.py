"""`open_store` opens what a `--db` value names: a PostgreSQL URL or a SQLite file."""

from pathlib import Path

from callserver.store.db import Store
from callserver.store.open import open_store, sqlite_path
from callserver.store.pg import PgStore


async def test_a_postgresql_url_opens_the_postgresql_store(pg_url: str) -> None:
    store = await open_store(pg_url)
    await store.close()
    assert isinstance(store, PgStore)


async def test_a_path_or_a_sqlite_url_opens_the_sqlite_store(tmp_path: Path) -> None:
    for target in (tmp_path / "a.sqlite3", f"sqlite://{tmp_path}/b.sqlite3"):
        store = await open_store(target)
        await store.close()
        assert isinstance(store, Store)
    assert (tmp_path / "a.sqlite3").is_file()
    assert (tmp_path / "b.sqlite3").is_file()


def test_a_sqlite_url_names_its_file() -> None:
    assert sqlite_path("sqlite:///var/lib/callserver.sqlite3") == "/var/lib/callserver.sqlite3"
    assert sqlite_path("sqlite://var/callserver.sqlite3") == "var/callserver.sqlite3"
    assert sqlite_path("var/callserver.sqlite3") == "var/callserver.sqlite3"
