"""The OpenAPI document describes exactly the routes the app serves, and is what it serves."""

from __future__ import annotations

from pathlib import Path

import requests
from aiohttp import web

from callserver.app import Listen, build_app
from callserver.config.loader import load_config
from callserver.hostport import HostPort
from callserver.live import LiveConfig
from callserver.web.openapi import DOCUMENT, UNDOCUMENTED_PREFIX
from tests.ops.server import CONFIG, SECRETS, Server

# aiohttp answers HEAD wherever it answers GET (`add_get(allow_head=True)`): described by GET.
IMPLIED = {"HEAD"}


def served_operations(app: web.Application) -> set[tuple[str, str]]:
    """(METHOD, path template) of every route, dashboard pages aside."""
    found = set()
    for route in app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if route.method in IMPLIED or path.startswith(UNDOCUMENTED_PREFIX):
            continue
        found.add((route.method, path))
    return found


def described_operations() -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in DOCUMENT["paths"].items()
            for method in item}


def test_every_route_is_described_and_every_description_is_a_route(tmp_path: Path) -> None:
    config = tmp_path / "callserver.yaml"
    config.write_text(CONFIG)
    loopback = HostPort("127.0.0.1", 0)
    app = build_app(LiveConfig(config, load_config(config)), SECRETS,
                    Listen(loopback, loopback, loopback, str(tmp_path / "db.sqlite3")))
    served = served_operations(app)
    assert ("GET", "/metrics") in served and ("OPTIONS", "/swap/session") in served
    assert served - described_operations() == set(), "routes missing from the OpenAPI document"
    assert described_operations() - served == set(), "described routes the app does not serve"


def test_a_new_route_without_a_description_is_caught(tmp_path: Path) -> None:
    app = web.Application()

    async def handler(request: web.Request) -> web.Response:
        return web.Response()

    app.router.add_get("/api/undescribed", handler)
    assert served_operations(app) - described_operations() == {("GET", "/api/undescribed")}


def test_every_guarded_operation_declares_bearer_security_and_401() -> None:
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            guarded = path.startswith("/api/") and path != "/api/openapi.json"
            guarded = guarded or path == "/metrics"
            assert ("security" in operation) is guarded, (method, path)
            assert ("401" in operation["responses"]) is guarded, (method, path)


def test_the_server_serves_the_document_without_a_token(server: Server) -> None:
    response = requests.get(f"{server.url}/api/openapi.json", timeout=10)
    assert response.status_code == 200
    assert response.json() == DOCUMENT
    assert DOCUMENT["openapi"] == "3.1.0"
