"""Headers every answer carries unless its handler chose its own: `nosniff`, so a browser never
reads a JSON or CSV body as HTML or script, `no-store`, so no cache or shared proxy keeps a
token-bearer's calls, reports or numbers, and a `Server` without versions. `swap.js` and
`dashboard.js` set their own caching.

A response-prepare signal rather than a middleware: it costs one call per answer, where any
middleware would switch on aiohttp's whole middleware chain for every request (swap_stats)."""

from __future__ import annotations

from aiohttp import web

DEFAULTS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
# aiohttp's own `Server` names Python's and aiohttp's versions, which tell a scanner which
# published flaws to try; the product's name tells it nothing it can use. aiohttp has set
# its own by the time this hook runs, so it is replaced, not defaulted.
SERVER = "callserver"


async def _defaults(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in DEFAULTS.items():
        response.headers.setdefault(name, value)
    response.headers["Server"] = SERVER


def install(app: web.Application) -> None:
    app.on_response_prepare.append(_defaults)
