"""`/dashboard/snippet` (admin): seed 000's Settings > Integrations. Each campaign's one-line
script to paste on its site (or why it has none); "Test Snippet": enter a page's address and
see whether the script is there and what it would swap, as `POST /api/snippet-test` reports;
and which source a visit would be credited to, each earlier source's failing condition and what
each campaign would show, as `callserver match` says (seed 001: try a regex on real URLs).

The line names this server by the origin the page was asked at, unless `?host=` gives the
public one visitors' browsers reach. The test is a POST from our own page (it makes the server
fetch a URL), and private addresses are fetched only when the admin ticks the box.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from callserver.attribution.match_report import MatchReport, match_visit
from callserver.attribution.snippet_tag import origin, script_tag, sites_of, why_not
from callserver.web.auth import Principal
from callserver.web.dashboard.access import DASHBOARD, admin_only, posted_by_our_page
from callserver.web.forwarded import seen_by_client
from callserver.web.keys import LIVE
from callserver.web.snippet_test import FetchFailed, Refused, snippet_test


def _campaigns(request: web.Request, host: str) -> list[dict[str, Any]]:
    return [{"name": name, "sites": sites_of(campaign), "why_not": why_not(campaign),
             "tag": script_tag(host, name)}
            for name, campaign in request.app[LIVE].current.model.campaigns.items()]


def _host(request: web.Request) -> str:
    return origin(request.query.get("host", "")) or seen_by_client(request).origin


def _matched(request: web.Request) -> tuple[MatchReport | None, str | None]:
    """Which source a visit (`?visit=URL&referrer=R&campaign=C`) would be credited to, as
    `callserver match` says; or why it cannot be judged."""
    url, campaign = request.query.get("visit", "").strip(), request.query.get("campaign") or None
    config = request.app[LIVE].current
    if not url:
        return None, None
    if not url.startswith(("http://", "https://")):
        return None, f"not an http(s) URL: {url!r}"
    if campaign is not None and campaign not in config.model.campaigns:
        return None, f"no campaign {campaign!r}"
    return match_visit(config, url, request.query.get("referrer", "").strip(), campaign), None


def _render(request: web.Request, principal: Principal, status: int = 200,
            **tested: Any) -> web.Response:
    host = _host(request)
    matched, unmatched = _matched(request)
    context: dict[str, Any] = {"tested": None, "error": None, "url": "",
                               "allow_private": False, **tested}
    return request.app[DASHBOARD].page(
        request, "snippet", principal, 400 if unmatched and status == 200 else status,
        host=host, campaigns=_campaigns(request, host), matched=matched, unmatched=unmatched,
        asked=request.query, campaign_names=sorted(request.app[LIVE].current.model.campaigns),
        **context)


def add_routes(app: web.Application) -> None:
    async def page(request: web.Request) -> web.Response:
        return _render(request, admin_only(request))

    async def test(request: web.Request) -> web.Response:
        principal = admin_only(request)
        await posted_by_our_page(request)
        form = await request.post()
        url, allow_private = str(form.get("url", "")).strip(), form.get("allow_private") == "on"
        try:
            tested = await snippet_test(url, request.app[LIVE].current,
                                        allow_private=allow_private)
        except Refused as refused:
            return _render(request, principal, 400, error=str(refused), url=url,
                           allow_private=allow_private)
        except FetchFailed as failed:
            return _render(request, principal, 502, error=str(failed), url=url,
                           allow_private=allow_private)
        return _render(request, principal, tested=tested, url=url, allow_private=allow_private)

    app.router.add_get("/dashboard/snippet", page)
    app.router.add_post("/dashboard/snippet", test)
