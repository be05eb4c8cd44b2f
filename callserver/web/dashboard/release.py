"""`POST /dashboard/numbers/release` (admin): seed 002's bulk release. Numbers ticked on the
Numbers page (one, several, or every one shown) are first listed for confirmation, then
released as `POST /api/numbers/release` releases them: out of service at once, cooling off,
with the config lines to delete, since callserver never rewrites the file.

Both steps are posts from our own page, with the session's form token.
"""

from __future__ import annotations

from aiohttp import web

from callserver.numbers.release import Ask
from callserver.web.dashboard.access import DASHBOARD, admin_only, posted_by_our_page
from callserver.web.numbers import NothingReleased, release_now


def add_routes(app: web.Application) -> None:
    async def release(request: web.Request) -> web.Response:
        principal = admin_only(request)
        await posted_by_our_page(request)
        form = await request.post()
        chosen = sorted({str(n) for n in form.getall("number", [])})
        dashboard = request.app[DASHBOARD]
        if not chosen:
            return dashboard.page(request, "release", principal, 400, chosen=chosen, done=None,
                                  error="Tick the numbers to release first.")
        if form.get("confirm") != "yes":
            return dashboard.page(request, "release", principal, chosen=chosen, done=None,
                                  error=None)
        try:
            done = await release_now(request.app, Ask(numbers=tuple(chosen)))
        except NothingReleased as error:
            return dashboard.page(request, "release", principal, 404, chosen=chosen,
                                  done=None, error=str(error))
        return dashboard.page(request, "release", principal, chosen=chosen, done=done,
                              error=None)

    app.router.add_post("/dashboard/numbers/release", release)
