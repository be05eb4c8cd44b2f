"""Swap requests by method and status code, and how long they took, for `GET /metrics`.

The swap routes' handlers are wrapped (`timed`) rather than the app given a middleware: a
middleware runs on every request to every path, and an app with none skips aiohttp's whole
middleware chain, which was a few microseconds of each swap.
"""

from __future__ import annotations

import time
from collections import Counter

from aiohttp import web
from aiohttp.typedefs import Handler

from callserver.web.exposition import Histogram

# Seconds. A swap answers in about a millisecond; the upper buckets catch a stalled store.
SWAP_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class SwapStats:
    def __init__(self) -> None:
        self.requests: Counter[tuple[str, str]] = Counter()
        self.latency = Histogram(SWAP_BUCKETS)

    def record(self, method: str, status: int, seconds: float) -> None:
        self.requests[method, str(status)] += 1
        self.latency.observe(seconds)


SWAP_STATS = web.AppKey("swap_stats", SwapStats)


def install_swap_stats(app: web.Application) -> SwapStats:
    """The app's one `SwapStats`, made by whichever of the swap routes and /metrics is added
    first."""
    if SWAP_STATS not in app:
        app[SWAP_STATS] = SwapStats()
    return app[SWAP_STATS]


def timed(stats: SwapStats, handler: Handler) -> Handler:
    """`handler`, counted and timed; a request that raises counts as its HTTP error, or 500."""
    async def counted(request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as error:
            status = error.status
            raise
        finally:
            stats.record(request.method, status, time.perf_counter() - started)

    return counted
