"""A store that fails the page view's write: the visitor gets a 503 to try again (CORS kept, so
the page can read it) and an error line names the cause; once the store is back, so is swap."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.web.swap_support import SITE, swap_server


def rename(db: Path, old: str, new: str) -> None:
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute(f"ALTER TABLE {old} RENAME TO {new}")


async def test_a_failing_store_write_is_a_503_with_a_reason_not_a_500(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async with swap_server(tmp_path) as server:
        await server.visit()
        rename(tmp_path / "db.sqlite3", "visitor_sessions", "sessions_elsewhere")
        status, body, headers = await server.post(
            {"campaign": "spring", "url": f"{SITE}/", "referrer": ""})
        assert (status, body) == (503, {"error": "store unavailable: try again"})
        assert (headers["Retry-After"], headers["Access-Control-Allow-Origin"]) == ("1", SITE)
        [failed] = [r for r in caplog.records if r.name == "callserver.web.swap"]
        assert failed.levelname == "ERROR" and "no such table" in str(failed.exc_info)
        rename(tmp_path / "db.sqlite3", "sessions_elsewhere", "visitor_sessions")
        assert (await server.visit())["number"] is not None
