"""A page view through a CDN and the local nginx (Cloudflare -> nginx -> callserver): with the
CDN's range among the trusted proxies, the visitor's own address is stored and counted
against `leases_per_ip`; trusting loopback alone, every visitor is the CDN's edge."""

from __future__ import annotations

from pathlib import Path

from callserver.attribution.proxies import TrustedProxies
from callserver.settings import trusted_proxies_from_env
from callserver.store import sessions
from tests.web.swap_support import FALLBACK, POOL, config_text, swap_server

CDN_EDGE = "173.245.48.9"
VISITORS = ("198.51.100.2", "203.0.113.40")
CDN = trusted_proxies_from_env({"CALLSERVER_TRUSTED_PROXIES": "127.0.0.1, 173.245.48.0/20"})


async def _two_visitors(here: Path, proxies: TrustedProxies) -> list[tuple[str, str | None]]:
    """Each visitor's number and stored address; nginx appends the edge it saw connect."""
    seen: list[tuple[str, str | None]] = []
    async with swap_server(here, config_text(extra="attribution: {leases_per_ip: 1}\n"),
                           proxies=proxies) as server:
        for visitor in VISITORS:
            answer = await server.visit(ip=f"6.6.6.6, {visitor}, {CDN_EDGE}")
            stored = await server.store.read(sessions.get, answer["session_id"])
            assert stored is not None
            seen.append((answer["number"], stored.ip))
    return seen


async def test_the_visitor_behind_a_trusted_cdn_is_stored_and_limited(tmp_path: Path) -> None:
    assert await _two_visitors(tmp_path, CDN) == [(POOL[0], VISITORS[0]),
                                                          (POOL[1], VISITORS[1])]


async def test_trusting_loopback_alone_makes_everyone_the_cdn_edge(tmp_path: Path) -> None:
    assert await _two_visitors(tmp_path, TrustedProxies()) == [(POOL[0], CDN_EDGE),
                                                                         (FALLBACK, CDN_EDGE)]
