"""`/dashboard/snippet` (admin): seed 000's Settings > Integrations. Each campaign's one-line
script to paste on its site (or why it has none), and "Test Snippet": enter a page's address and
see whether the script is there and what it would swap, as `POST /api/snippet-test` reports.

The line names this server by the origin the page was asked at, unless `?host=` gives the
public one visitors' browsers reach. The test is a POST from our own page (it makes the server
fetch a URL), and private addresses are fetched only when the admin ticks the box.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from callserver.attribution.snippet_tag import origin, script_tag, sites_of, why_not
from callserver.web.dashboard.access import DASHBOARD, admin_only, posted_by_our_page
from callserver.web.keys import LIVE
from callserver.web.snippet_test import FetchFailed, Refused, snippet_test


def _campaigns(request: web.Request, host: str) -> list[dict[str, Any]]:
    return [{"name": name, "sites": sites_of(campaign), "why_not": why_not(campaign),
             "tag": script_tag(host, name)}
            for name, campaign in request.app[LIVE].current.model.campaigns.items()]


def _host(request: web.Request) -> str:
    return origin(request.query.get("host", "")) or f"{request.scheme}://{request.host}"


def add_routes(app: web.Application) -> None:
    async def page(request: web.Request) -> web.Response:
        principal = admin_only(request)
        host = _host(request)
        return request.app[DASHBOARD].page(request, "snippet", principal, host=host,
                                           campaigns=_campaigns(request, host), tested=None,
                                           error=None, url="", allow_private=False)

    async def test(request: web.Request) -> web.Response:
        principal = admin_only(request)
        await posted_by_our_page(request)
        form = await request.post()
        url, allow_private = str(form.get("url", "")).strip(), form.get("allow_private") == "on"
        tested, error, status = None, None, 200
        try:
            tested = await snippet_test(url, request.app[LIVE].current,
                                        allow_private=allow_private)
        except Refused as refused:
            error, status = str(refused), 400
        except FetchFailed as failed:
            error, status = str(failed), 502
        host = _host(request)
        return request.app[DASHBOARD].page(request, "snippet", principal, status, host=host,
                                           campaigns=_campaigns(request, host), tested=tested,
                                           error=error, url=url, allow_private=allow_private)

    app.router.add_get("/dashboard/snippet", page)
    app.router.add_post("/dashboard/snippet", test)
