"""One DEBUG line per swap decision, named by its session, with nothing personal in it."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from callserver import logs
from tests.web.swap_support import FALLBACK, POOL, SITE, config_text, swap_server

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
IP = "203.0.113.7"


@contextlib.contextmanager
def logging_at(level: str) -> Iterator[None]:
    """Logging as `callserver serve --log-level LEVEL` sets it up, to the stderr of the test."""
    logs.configure(level)
    try:
        yield
    finally:
        logging.getLogger().handlers.clear()


def swap_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line.split(" DEBUG ", 1)[1] for line in capsys.readouterr().err.splitlines()
            if " callserver.web.swap" in line]


async def test_each_decision_is_one_line_naming_its_session(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with logging_at("DEBUG"):
        async with swap_server(tmp_path, config_text(POOL[:1])) as server:
            first = await server.visit(url=f"{SITE}/?gclid=secret-click&email=a@b.example",
                                       cookies={"_ga": "GA1.2.3"}, ip=IP)
            renewed = await server.visit(first["visitor_id"], page_views=2, ip=IP)
            exhausted = await server.visit(ip="198.51.100.1")
            static = await server.visit(url=f"{SITE}/?utm_source=google")
            status, _, _ = await server.post({"campaign": "spring", "url": f"{SITE}/"},
                                             ua=GOOGLEBOT)
    lines = swap_lines(capsys)
    assert status == 200
    assert lines == [
        f"callserver.web.swap session={first['session_id']}: swap campaign=spring "
        f"source=direct number={POOL[0]} lease=taken",
        f"callserver.web.swap session={renewed['session_id']}: swap campaign=spring "
        f"source=direct number={POOL[0]} lease=renewed",
        f"callserver.web.swap session={exhausted['session_id']}: swap campaign=spring "
        f"source=direct number={FALLBACK} lease=exhausted",
        f"callserver.web.swap session={static['session_id']}: swap campaign=spring "
        "source=google-ads number=+18005550101 lease=static",
        "callserver.web.swap: swap campaign=spring source=direct number=+18005550199 "
        "lease=crawler",
    ]
    for private in (IP, "198.51.100", "secret-click", "a@b.example", "GA1.2.3", "Mozilla",
                    first["visitor_id"]):
        assert not any(private in line for line in lines)


async def test_a_client_over_its_lease_limit_is_logged_as_limited(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    limits = config_text(extra="attribution: {leases_per_ip: 1}\n")
    with logging_at("DEBUG"):
        async with swap_server(tmp_path, limits) as server:
            await server.visit(ip=IP)
            limited = await server.visit(ip=IP)
    assert limited["number"] == FALLBACK
    assert swap_lines(capsys)[-1] == (
        f"callserver.web.swap session={limited['session_id']}: swap campaign=spring "
        f"source=direct number={FALLBACK} lease=limited")


async def test_at_info_level_nothing_is_logged(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    with logging_at("INFO"):
        async with swap_server(tmp_path) as server:
            await server.visit()
    assert " callserver.web.swap" not in capsys.readouterr().err
