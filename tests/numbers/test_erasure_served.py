"""The erasure runs in the served app: at start, a session past `privacy.erase_after_days`
(by the app's clock) loses its address and user agent, a recent one keeps them."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from callserver.store import open_store, sessions
from callserver.store.sessions import VisitorSession
from tests.numbers.conftest import CONFIG, served
from tests.web.swap_support import START


async def test_the_served_app_erases_old_sessions_at_start(tmp_path: Path) -> None:
    store = await open_store(tmp_path / "callserver.sqlite3")
    for session_id, age in (("old", timedelta(days=31)), ("recent", timedelta(days=29))):
        seen = START - age
        await store.write(sessions.record, VisitorSession(
            session_id, "v1", "spring", seen, seen, ip="203.0.113.7", user_agent="Mozilla/5.0"))
    await store.close()
    text = CONFIG.replace("numbers_cooling_off_days: 90\n",
                          "numbers_cooling_off_days: 90\nprivacy: {erase_after_days: 30}\n")
    async with served(tmp_path, text) as server:
        for _ in range(200):
            old = await server.store.read(sessions.get, "old")
            if old is not None and old.ip is None:
                break
            await asyncio.sleep(0.01)
        recent = await server.store.read(sessions.get, "recent")
    assert old is not None and (old.ip, old.user_agent) == (None, None)
    assert recent is not None and recent.ip == "203.0.113.7"
