"""Erasing visitors' addresses and user agents, on SQLite and on PostgreSQL alike: sessions
past the cut-off lose them in batches, keep their attribution, and are not erased twice."""

from datetime import timedelta

from callserver.store import sessions
from callserver.store.erasure import erase_personal
from callserver.store.open import AnyStore
from callserver.store.sessions import VisitorSession
from tests.store.conftest import NOW


def _session(n: int, days_ago: int) -> VisitorSession:
    seen = NOW - timedelta(days=days_ago)
    return VisitorSession(f"s{n}", f"v{n}", "spring", seen, seen, source="google-ads",
                          ip="203.0.113.7", user_agent="Mozilla/5.0", gclid="Cj0KCQ",
                          landing_url="https://www.example.com/?gclid=Cj0KCQ",
                          cookies={"_biz_uid": "b1"})


async def test_old_sessions_lose_address_and_user_agent_and_keep_attribution(
        either: AnyStore) -> None:
    for n, days_ago in enumerate((40, 35, 31, 29, 1)):
        await either.write(sessions.record, _session(n, days_ago))
    before = NOW - timedelta(days=30)
    assert await either.write(erase_personal, before, 2) == 2
    assert await either.write(erase_personal, before, 2) == 1
    assert await either.write(erase_personal, before, 2) == 0
    stored = [await either.read(sessions.get, f"s{n}") for n in range(5)]
    assert [(s and s.ip, s and s.user_agent) for s in stored] == [(None, None)] * 3 + [
        ("203.0.113.7", "Mozilla/5.0")] * 2
    old = stored[0]
    assert old is not None
    assert (old.source, old.gclid, old.landing_url, dict(old.cookies)) == (
        "google-ads", "Cj0KCQ", "https://www.example.com/?gclid=Cj0KCQ", {"_biz_uid": "b1"})
