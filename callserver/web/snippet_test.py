"""`POST /api/snippet-test {"url": ...}`: fetch a customer's page and report whether the
snippet is installed and what it would swap (the CLI's `snippet-test` runs the same).

The fetch is bounded (2 MB; 10 s for the whole chain of at most 5 redirects), speaks only
http and https, and refuses any address that is not public (loopback, private, link-local,
reserved, or an IPv6 form of one: `public_address`) at every hop: addresses are checked when
the name is resolved for the connection itself, so a name that changes its answer between
check and connect gains nothing. `allow_private` lifts that, for tests.
"""

from __future__ import annotations

import asyncio
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from callserver.attribution.page import scan_page
from callserver.attribution.snippet_report import snippet_report
from callserver.config.resolve import ResolvedConfig
from callserver.web.auth import require_admin
from callserver.web.keys import LIVE, SECRETS
from callserver.web.public_address import is_public

MAX_PAGE = 2 * 1024 * 1024
TIMEOUT_S = 10.0
MAX_REDIRECTS = 5
USER_AGENT = "callserver-snippet-test/1"
_REDIRECTS = {301, 302, 303, 307, 308}


class Refused(ValueError):
    """The URL may not be fetched: the caller's mistake (HTTP 400, CLI exit 2)."""


class FetchFailed(Exception):
    """The page could not be fetched: the site's trouble (HTTP 502, CLI exit 2)."""


class _NotPublic(OSError):
    pass


@dataclass(frozen=True)
class Page:
    url: str
    status: int
    html: str
    size: int
    truncated: bool
    elapsed_ms: int


class _PublicResolver(AbstractResolver):
    def __init__(self) -> None:
        self._inner = ThreadedResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        found = await self._inner.resolve(host, port, family)
        public = [r for r in found if is_public(r["host"])]
        if not public:
            raise _NotPublic(f"{host.rstrip('.')} resolves only to non-public addresses")
        return public

    async def close(self) -> None:
        await self._inner.close()


def _check(url: str, allow_private: bool) -> str:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise Refused(f"{url!r} is not a URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"{url!r}: only http and https URLs can be tested")
    if not allow_private and not is_public(parts.hostname):
        raise Refused(f"{parts.hostname} is not a public address")
    return url


async def fetch_page(url: str, *, allow_private: bool = False,
                     timeout_s: float = TIMEOUT_S) -> Page:
    started = time.monotonic()
    resolver = ThreadedResolver() if allow_private else _PublicResolver()
    connector = aiohttp.TCPConnector(resolver=resolver, use_dns_cache=False)
    async with aiohttp.ClientSession(connector=connector, headers={"User-Agent": USER_AGENT},
                                     timeout=aiohttp.ClientTimeout(total=timeout_s)) as http:
        try:
            async with asyncio.timeout(timeout_s):  # for every hop together, not each
                return await _follow(http, url, allow_private, started)
        except aiohttp.ClientConnectorDNSError as error:
            if isinstance(error.os_error, _NotPublic):
                raise Refused(str(error.os_error)) from None
            raise FetchFailed(f"cannot resolve {error.host}") from None
        except TimeoutError:
            raise FetchFailed(f"cannot fetch {url}: no page within {timeout_s:g} s") from None
        except (aiohttp.ClientError, LookupError) as error:
            raise FetchFailed(f"cannot fetch {url}: {str(error) or type(error).__name__}") from None


async def _follow(http: aiohttp.ClientSession, url: str, allow_private: bool,
                  started: float) -> Page:
    for _ in range(MAX_REDIRECTS + 1):
        async with http.get(_check(url, allow_private), allow_redirects=False) as got:
            if got.status in _REDIRECTS and "Location" in got.headers:
                url = urljoin(url, got.headers["Location"])
                continue
            body = await _bounded(got.content)
            return Page(url, got.status, body[:MAX_PAGE].decode(got.charset or "utf-8", "replace"),
                        min(len(body), MAX_PAGE), len(body) > MAX_PAGE,
                        round((time.monotonic() - started) * 1000))
    raise FetchFailed(f"more than {MAX_REDIRECTS} redirects")


async def _bounded(content: aiohttp.StreamReader) -> bytes:
    body = bytearray()
    while len(body) <= MAX_PAGE:
        chunk = await content.read(MAX_PAGE + 1 - len(body))
        if not chunk:
            break
        body += chunk
    return bytes(body)


async def snippet_test(url: str, config: ResolvedConfig | None, *,
                       allow_private: bool = False) -> dict[str, Any]:
    page = await fetch_page(url, allow_private=allow_private)
    return {"url": url, "final_url": page.url, "status": page.status, "bytes": page.size,
            "truncated": page.truncated, "elapsed_ms": page.elapsed_ms,
            **snippet_report(scan_page(page.html), page.url, config)}


async def _handle(request: web.Request) -> web.Response:
    require_admin(request, request.app[SECRETS])
    try:
        asked = await request.json()
    except ValueError:
        return web.json_response({"error": "body is not JSON"}, status=400)
    if not (isinstance(asked, dict) and isinstance(asked.get("url"), str)
            and isinstance(asked.get("allow_private", False), bool)):
        return web.json_response(
            {"error": 'expected {"url": "https://...", "allow_private": false}'}, status=400)
    try:
        report = await snippet_test(asked["url"], request.app[LIVE].current,
                                    allow_private=asked.get("allow_private", False))
    except Refused as error:
        return web.json_response({"error": str(error)}, status=400)
    except FetchFailed as error:
        return web.json_response({"error": str(error)}, status=502)
    return web.json_response(report)


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/snippet-test", _handle)

