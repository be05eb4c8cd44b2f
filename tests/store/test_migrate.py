import asyncio
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from callserver.store import leases, migrate, open_store
from callserver.store.columns import instant
from tests.store.conftest import NOW


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        yield conn


def _versions(conn: sqlite3.Connection) -> list[int]:
    return [v for (v,) in conn.execute("SELECT version FROM schema_version ORDER BY version")]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?)", (table,))]


@pytest.fixture
def migrations(tmp_path: Path) -> Path:
    """A copy of the shipped migrations, to which a test adds a later file."""
    directory = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, directory)
    return directory


async def test_a_new_database_is_created_at_the_newest_version(db_path: Path) -> None:
    store = await open_store(db_path)
    await store.close()
    with _connect(db_path) as conn:
        assert _versions(conn) == [m.version for m in migrate.discover()]
        assert "session_id" in _columns(conn, "visitor_sessions")


SHIPPED = len(migrate.discover())


def test_a_shipped_database_is_upgraded_by_a_later_file(db_path: Path, migrations: Path) -> None:
    with _connect(db_path) as conn:
        _upgrade_shipped(conn, migrations)


def _upgrade_shipped(conn: sqlite3.Connection, migrations: Path) -> None:
    assert migrate.apply(conn, NOW, migrate.MIGRATIONS) == SHIPPED
    conn.execute("INSERT INTO pool_numbers (number, pool) VALUES ('+18005550110', 'website')")
    (migrations / f"{SHIPPED + 1:04d}_number_region.sql").write_text(
        "-- numbers learn their region\n"
        "ALTER TABLE pool_numbers ADD COLUMN region TEXT;\n"
        "UPDATE pool_numbers SET region = 'US';\n"
    )

    assert migrate.apply(conn, NOW, migrations) == SHIPPED + 1
    assert _versions(conn) == list(range(1, SHIPPED + 2))
    assert conn.execute("SELECT number, region FROM pool_numbers").fetchall() == [
        ("+18005550110", "US")
    ]
    assert migrate.apply(conn, NOW, migrations) == SHIPPED + 1  # applying again: no change


def test_a_failing_migration_leaves_the_previous_version_intact(
    db_path: Path, migrations: Path
) -> None:
    (migrations / f"{SHIPPED + 1:04d}_broken.sql").write_text(
        "CREATE TABLE half_done (id INTEGER PRIMARY KEY);\nALTER TABLE no_such_table ADD x;\n"
    )
    with _connect(db_path) as conn:
        migrate.apply(conn, NOW, migrate.MIGRATIONS)
        with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
            migrate.apply(conn, NOW, migrations)
        assert _versions(conn) == list(range(1, SHIPPED + 1))
        assert _columns(conn, "half_done") == []
        assert not conn.in_transaction


def test_a_database_newer_than_the_code_is_not_opened(db_path: Path, migrations: Path) -> None:
    (migrations / f"{SHIPPED + 1:04d}_future.sql").write_text("CREATE TABLE future (id INTEGER);\n")
    with _connect(db_path) as conn:
        migrate.apply(conn, NOW, migrations)
        with pytest.raises(RuntimeError, match="newer than this release"):
            migrate.apply(conn, NOW, migrate.MIGRATIONS)


def test_migration_numbers_must_not_skip(migrations: Path) -> None:
    (migrations / f"{SHIPPED + 2:04d}_skipped_one.sql").write_text("SELECT 1;\n")
    with pytest.raises(ValueError, match=r"numbered 1\.\.n"):
        migrate.discover(migrations)


def test_statements_are_split_whole_triggers_included() -> None:
    script = (
        "-- a comment; with a semicolon\n"
        "CREATE TABLE t (x);\n"
        "CREATE TRIGGER t_x AFTER INSERT ON t BEGIN\n"
        "    UPDATE t SET x = x + 1;\n"
        "END;\n"
        "-- trailing comment\n"
    )
    found = list(migrate.statements(script))
    assert len(found) == 2
    assert found[1].strip().endswith("END;")
    with pytest.raises(ValueError, match="unterminated"):
        list(migrate.statements("CREATE TABLE t (x)\n"))


async def test_two_processes_opening_a_new_file_migrate_it_once(db_path: Path) -> None:
    stores = await asyncio.gather(open_store(db_path), open_store(db_path))
    for store in stores:
        await store.close()
    with _connect(db_path) as conn:
        assert _versions(conn) == list(range(1, SHIPPED + 1))


def test_leases_live_at_the_upgrade_keep_counting_for_their_address(
    db_path: Path, migrations: Path
) -> None:
    holder = migrations / "0013_lease_holder_ip.sql"
    held_back = holder.read_text()
    for later in migrations.glob("*.sql"):
        if later.name >= holder.name:
            later.unlink()
    with _connect(db_path) as conn:
        migrate.apply(conn, NOW, migrations)
        conn.execute(
            "INSERT INTO visitor_sessions (session_id, visitor_id, campaign, ip, first_seen, "
            "last_seen) VALUES ('s1', 'v1', 'spring', '203.0.113.0', ?, ?)",
            (instant(NOW), instant(NOW)))
        conn.execute(
            "INSERT INTO pool_numbers (number, pool, session_id, leased_at, expires_at) "
            "VALUES ('+18005550110', 'website', 's1', ?, ?)",
            (instant(NOW), instant(NOW + timedelta(minutes=30))))
        holder.write_text(held_back)
        migrate.apply(conn, NOW, migrations)
        assert leases.held_by_ip(conn, "203.0.113.0", NOW) == 1
