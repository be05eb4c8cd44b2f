"""`GET /dashboard/numbers`: the tracking numbers, as `GET /api/numbers` lists them (seed 002:
what each number is, local or toll-free and where, its campaign, publisher, tags and sub_id,
and its state; seed 000 keeps the tracking numbers in a list of their own).

The admin sees the whole inventory, released numbers with the date each is free for another
campaign and the stray calls it still gets; a publisher sees its own numbers in service and
nothing of anyone else's. The page's filters are the API's (`numbers.wanted`), so any
`GET /api/numbers` query works in its URL.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from multidict import MultiDict

from callserver.numbers.plan import STATES
from callserver.numbers.wanted import KINDS
from callserver.web.dashboard.access import DASHBOARD, signed_in
from callserver.web.dashboard.calls import choices as filter_choices
from callserver.web.keys import LIVE
from callserver.web.number_list import numbers_seen, wanted_by


def add_routes(app: web.Application) -> None:
    async def page(request: web.Request) -> web.Response:
        principal = signed_in(request)
        asked = MultiDict((k, v) for k, v in request.query.items() if v)
        dashboard, config = request.app[DASHBOARD], request.app[LIVE].current
        campaigns = filter_choices(config, principal.publisher)["campaign"]
        choices: dict[str, Any] = {"states": STATES if principal.is_admin else (),
                                   "kinds": KINDS, "campaigns": campaigns}
        try:
            wanted = wanted_by(asked)
        except ValueError as error:
            return dashboard.page(request, "numbers", principal, 400, error=str(error),
                                  asked=asked, numbers=[], views={}, **choices)
        return dashboard.page(request, "numbers", principal, error=None, asked=asked,
                              numbers=await numbers_seen(request.app, principal, wanted),
                              views=config.numbers, **choices)

    app.router.add_get("/dashboard/numbers", page)
