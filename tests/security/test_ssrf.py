"""The snippet test fetches public pages only: an IPv6 address that carries a private IPv4
one (mapped, NAT64, 6to4, IPv4-compatible) is refused before any connection is tried; and its
time bound is for the whole fetch, redirects and all, not for each hop."""

from __future__ import annotations

import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from callserver.web.snippet_test import FetchFailed, fetch_page
from tests.web.loopback_site import loopback_site
from tests.web.swap_support import ADMIN, swap_server


async def _test(tmp_path: Path, body: Any) -> tuple[int, Any]:
    async with swap_server(tmp_path) as server, server.http.post(
            f"{server.base}/api/snippet-test", json=body,
            headers={"Authorization": f"Bearer {ADMIN}"}) as response:
        return response.status, await response.json()


@pytest.mark.parametrize("host", ["::ffff:127.0.0.1", "::ffff:169.254.169.254",
                                  "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1",
                                  "2002:7f00:1::1", "2002:c0a8:101::1", "::127.0.0.1",
                                  "::10.0.0.1"])
async def test_private_ipv4_inside_ipv6_is_refused(tmp_path: Path, host: str) -> None:
    status, answer = await _test(tmp_path, {"url": f"http://[{host}]:9/"})
    assert status == 400 and answer["error"] == f"{host} is not a public address", answer


class _SlowRedirects(BaseHTTPRequestHandler):
    """Each hop answers in time on its own; the chain does not."""

    def do_GET(self) -> None:
        time.sleep(HOP_S)
        hop = int(self.path.strip("/") or 0)
        self.send_response(302)
        self.send_header("Location", f"/{hop + 1}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


HOP_S = 0.3


@pytest.fixture
def slow_site() -> Iterator[str]:
    with loopback_site(_SlowRedirects) as base:
        yield f"{base}/"


async def test_the_time_bound_covers_the_whole_redirect_chain(slow_site: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="no page within 1 s"):
        await fetch_page(slow_site, allow_private=True, timeout_s=1.0)
    assert time.monotonic() - started < 1.0 + HOP_S
