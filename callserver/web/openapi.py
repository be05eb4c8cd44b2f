"""`GET /api/openapi.json`: an OpenAPI 3.1 description of every route the app serves except
the dashboard's HTML pages (`/dashboard...`), which are for people, not clients.

It is written by hand, next to the handlers rather than generated from them, because the
handlers parse their own input; `tests/ops` keeps it honest twice: every route of the router
must be described here (a new route without a description fails), and schemathesis sends
generated requests to a real server and holds each response to these schemas. The document is
public, like the routes it lists: it holds no data, and a client needs it before it has a token.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from callserver import __version__
from callserver.web.openapi_paths import PATH, PATHS
from callserver.web.openapi_schemas import SCHEMAS

UNDOCUMENTED_PREFIX = "/dashboard"

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "callserver", "version": __version__,
             "description": "Call tracking and call control for Asterisk. Tokens come from "
                            "CALLSERVER_ADMIN_TOKEN and CALLSERVER_PUBLISHER_TOKENS."},
    "paths": PATHS,
    "components": {"schemas": SCHEMAS, "securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer",
                   "description": "the admin's token, or a publisher's where the route "
                                  "answers 401 but not 403"}}},
}


def add_routes(app: web.Application) -> None:
    async def openapi(request: web.Request) -> web.Response:
        return web.json_response(DOCUMENT)

    app.router.add_get(PATH, openapi)

