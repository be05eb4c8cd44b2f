"""`GET /swap.js`: the snippet every page view of a customer's site loads, so it is read and
gzipped once at start, cached by browsers for minutes and revalidated by ETag after that.

A site includes it with one line:

    <script src="https://HOST/swap.js" async data-campaign="spring"
            data-target="(800) 555-0100" data-cookies="_ga,_biz_uid"></script>

`data-campaign` names the campaign; the script's own origin is the server it asks
(`POST /swap/session`). `data-target` (the number printed on the site) and `data-cookies`
(marketing cookies to send) are needed only while the server's answer does not carry
`swap_target` and `capture_cookies`.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler

SOURCE = Path(__file__).parents[2] / "swap" / "swap.js"
CACHE_CONTROL = "public, max-age=300"


@dataclass(frozen=True)
class Snippet:
    """The script as served: both encodings share one weak ETag, being the same content."""

    body: bytes
    gzipped: bytes
    etag: str

    @classmethod
    def of(cls, source: bytes) -> Snippet:
        body = served(source)
        digest = hashlib.sha256(body).hexdigest()[:20]
        return cls(body, gzip.compress(body, compresslevel=9, mtime=0), f'W/"{digest}"')


def served(source: bytes) -> bytes:
    """The source without what only its readers need: comment lines and indentation. Safe
    for swap.js, which has no template literal or multi-line string for this to change."""
    kept = (line.strip() for line in source.decode().splitlines())
    return "".join(f"{line}\n" for line in kept
                   if line and not line.startswith(("//", "/*"))).encode()


def accepts_gzip(accept_encoding: str) -> bool:
    """True when the client lists gzip (or `*`) with a non-zero quality."""
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.partition(";")
        if coding.strip() in ("gzip", "*"):
            return _quality(params) > 0
    return False


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def matches_etag(if_none_match: str, etag: str) -> bool:
    """Weak comparison, as If-None-Match asks for."""
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") in ("*", bare) for tag in if_none_match.split(","))


def handler(snippet: Snippet) -> Handler:
    async def swap_js(request: web.Request) -> web.Response:
        headers = {"ETag": snippet.etag, "Cache-Control": CACHE_CONTROL,
                   "Vary": "Accept-Encoding", "X-Content-Type-Options": "nosniff"}
        if matches_etag(request.headers.get("If-None-Match", ""), snippet.etag):
            return web.Response(status=304, headers=headers)
        body = snippet.body
        if accepts_gzip(request.headers.get("Accept-Encoding", "")):
            headers["Content-Encoding"] = "gzip"
            body = snippet.gzipped
        return web.Response(body=body, headers=headers, content_type="text/javascript",
                            charset="utf-8")

    return swap_js


def add_routes(app: web.Application, source: Path = SOURCE) -> None:
    app.router.add_get("/swap.js", handler(Snippet.of(source.read_bytes())))
