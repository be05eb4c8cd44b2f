"""`GET /swap.js` as a CDN or browser sees it: size, encodings, caching and revalidation."""

from __future__ import annotations

import gzip

import aiohttp
import pytest
from multidict import CIMultiDict

from callserver.web.swapjs import SOURCE, Snippet, accepts_gzip, matches_etag, served
from tests.browser.conftest import Stack


def test_the_snippet_stays_under_two_kilobytes_gzipped() -> None:
    assert len(Snippet.of(SOURCE.read_bytes()).gzipped) <= 2048


def test_what_is_served_drops_only_comment_lines_and_indentation() -> None:
    source = b"/* head */\n(() => {\n  // why\n  const a = 1; // kept\n\n  f(a);\n})();\n"
    assert served(source) == b"(() => {\nconst a = 1; // kept\nf(a);\n})();\n"
    assert b"`" not in SOURCE.read_bytes()  # no template literal whose lines this would change


async def fetch(stack: Stack, **headers: str) -> tuple[int, CIMultiDict[str], bytes]:
    async with aiohttp.ClientSession(auto_decompress=False) as http, \
            http.get(f"{stack.server}/swap.js", headers=headers) as response:
        return response.status, response.headers.copy(), await response.read()


async def test_gzip_is_served_to_clients_that_accept_it(stack: Stack) -> None:
    status, headers, body = await fetch(stack, **{"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert headers["Cache-Control"] == "public, max-age=300"
    assert headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == served(SOURCE.read_bytes())
    assert len(body) <= 2048


async def test_identity_is_served_otherwise_with_the_same_etag(stack: Stack) -> None:
    _, zipped, _ = await fetch(stack, **{"Accept-Encoding": "gzip"})
    status, headers, body = await fetch(stack, **{"Accept-Encoding": "identity"})
    assert status == 200
    assert "Content-Encoding" not in headers
    assert body == served(SOURCE.read_bytes())
    assert headers["ETag"] == zipped["ETag"]


async def test_a_matching_etag_revalidates_without_a_body(stack: Stack) -> None:
    _, headers, _ = await fetch(stack)
    status, again, body = await fetch(stack, **{"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    assert again["ETag"] == headers["ETag"]
    assert again["Cache-Control"] == "public, max-age=300"
    status, _, body = await fetch(stack, **{"If-None-Match": 'W/"something-else"'})
    assert status == 200
    assert body


@pytest.mark.parametrize(("header", "accepted"), [
    ("gzip", True), ("deflate, gzip;q=0.8", True), ("*", True), ("GZIP", True),
    ("gzip;q=0", False), ("gzip; q=0.0", False), ("gzip;q=x", False), ("br, deflate", False),
    ("", False), ("identity", False),
])
def test_accept_encoding(header: str, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted


@pytest.mark.parametrize(("header", "matched"), [
    ('W/"abc"', True), ('"abc"', True), ('"x", W/"abc"', True), ("*", True),
    ('"abcd"', False), ("", False),
])
def test_if_none_match(header: str, matched: bool) -> None:
    assert matches_etag(header, 'W/"abc"') is matched
