""""Is my snippet installed?": `POST /api/snippet-test` and `callserver snippet-test` fetch a
real page over loopback and report what swap.js would find and swap."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from callserver.attribution.page import scan_page
from callserver.attribution.snippet_report import snippet_report
from callserver.cli import main
from callserver.config.loader import load_config
from callserver.numbers.config_view import in_service
from callserver.web.snippet_test import MAX_PAGE
from tests.web.loopback_site import loopback_site
from tests.web.swap_support import ADMIN, FALLBACK, POOL, config_text, swap_server

PAGE = b"""<!doctype html><html><head>
<script src="https://calls.example.com/swap.js" async data-campaign="spring"></script>
<script>var printed = "8005550100";</script><style>.x{content:"800-555-0100"}</style>
</head><body><p>Call (800) 555-0100 today, or 1-800-555-0100 from abroad.</p>
<a href="tel:+18005550100">+1 800 555 0100</a><p>Not ours: 800-555-0199</p></body></html>"""
PAGES = {"/page.html": PAGE, "/plain.html": b"<p>Call 800.555.0100</p>",
         "/big.html": b"<p>(800) 555-0100</p>" + b" " * (MAX_PAGE + 10)}


class _Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/old":
            self.send_response(302)
            self.send_header("Location", "/page.html")
            self.end_headers()
            return
        body = PAGES.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads the report, not the access log."""


@pytest.fixture
def site() -> Iterator[str]:
    with loopback_site(_Site) as base:
        yield base


async def _test(tmp_path: Path, body: Any) -> tuple[int, Any]:
    async with swap_server(tmp_path) as server, server.http.post(
            f"{server.base}/api/snippet-test", json=body,
            headers={"Authorization": f"Bearer {ADMIN}"}) as response:
        return response.status, await response.json()


async def test_the_report_shows_the_snippet_the_spellings_and_the_swaps(
        tmp_path: Path, site: str) -> None:
    status, report = await _test(tmp_path, {"url": f"{site}/old", "allow_private": True})
    assert status == 200, report
    assert report["final_url"] == f"{site}/page.html" and report["status"] == 200
    assert report["swap_js"] == {"included": True, "async": True,
                                 "src": ["https://calls.example.com/swap.js"]}
    (spring,) = report["campaigns"]
    assert spring["found"] and spring["swap_target"] == "+18005550100"
    assert spring["spellings"] == ["(800) 555-0100", "+1 800 555 0100", "+18005550100",
                                   "1-800-555-0100"]
    assert (spring["in_text"], spring["in_tel_links"]) == (3, 1)
    assert spring["direct_visit"] == {"source": "direct", "number": POOL[0],
                                      "pool": "spring/website"}
    assert {"from": "(800) 555-0100", "to": "(312) 555-0110"} in spring["would_swap"]


def test_a_pool_whose_numbers_are_all_released_shows_its_fallback(tmp_path: Path) -> None:
    """The running config after `numbers release --pool`: the page would show the fallback."""
    (tmp_path / "callserver.yaml").write_text(config_text())
    running = in_service(load_config(tmp_path / "callserver.yaml"), set(POOL))
    (spring,) = snippet_report(scan_page(PAGE.decode()), "https://www.example.com/",
                               running)["campaigns"]
    assert spring["direct_visit"] == {"source": "direct", "number": FALLBACK,
                                      "pool": "spring/website"}
    gone = in_service(running, {FALLBACK})
    (spring,) = snippet_report(scan_page(PAGE.decode()), "https://www.example.com/",
                               gone)["campaigns"]
    assert (spring["direct_visit"]["number"], spring["would_swap"]) == (None, [])


@pytest.mark.parametrize(("url", "reason"), [
    ("http://127.0.0.1:9/", "127.0.0.1 is not a public address"),
    ("http://[::1]:9/", "::1 is not a public address"),
    ("http://localhost:9/", "localhost resolves only to non-public addresses"),
    ("ftp://example.com/", "only http and https"),
    ("http://example.com:99999/", "is not a URL"),
])
async def test_private_addresses_and_other_schemes_are_refused(tmp_path: Path, url: str,
                                                               reason: str) -> None:
    status, answer = await _test(tmp_path, {"url": url})
    assert status == 400 and reason in answer["error"]


async def test_an_unreachable_page_is_a_502_and_bad_input_a_400(tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    status, answer = await _test(tmp_path, {"url": f"http://127.0.0.1:{port}/",
                                            "allow_private": True})
    assert status == 502 and "cannot fetch" in answer["error"]
    assert (await _test(tmp_path, {"url": 5}))[0] == 400


def _cli(capsys: pytest.CaptureFixture[str], url: str,
         config: Path | None) -> tuple[int, dict[str, Any]]:
    code = main(["snippet-test", url, "--allow-private",
                 *(["--config", str(config)] if config else [])])
    out = capsys.readouterr().out
    return code, json.loads(out) if out else {}


def test_the_cli_exits_by_whether_the_snippet_is_there(
        tmp_path: Path, site: str, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "callserver.yaml"
    config.write_text(config_text())
    found, report = _cli(capsys, f"{site}/page.html", config)
    missing, plain = _cli(capsys, f"{site}/plain.html", config)
    big, truncated = _cli(capsys, f"{site}/big.html", None)
    assert (found, missing, big) == (0, 1, 1)
    assert report["campaigns"][0]["in_text"] == 3
    assert plain["campaigns"][0]["would_swap"] == [{"from": "800.555.0100",
                                                    "to": "312.555.0110"}]
    assert truncated["truncated"] and truncated["bytes"] == MAX_PAGE
    assert truncated["campaigns"] == []
    assert main(["snippet-test", "gopher://x/"]) == 2
