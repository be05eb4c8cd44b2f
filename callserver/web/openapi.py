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
from callserver.numbers.plan import STATES
from callserver.reports.filters import TEST_CHOICES
from callserver.reports.groups import NAMES
from callserver.reports.listing import PAGE_MAX
from callserver.store.call_values import CallStatus
from callserver.web.openapi_schemas import SCHEMAS, STRING, Schema, array, ref
from callserver.web.outbox import MAX_LIMIT

PATH = "/api/openapi.json"
UNDOCUMENTED_PREFIX = "/dashboard"
_ADMIN: list[dict[str, list[str]]] = [{"bearer": []}]


def _json(description: str, schema: Schema) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(description, ref("Error"))


def _authed(responses: dict[str, Any], *, admin: bool) -> dict[str, Any]:
    """The 401 every token-guarded route answers, and the 403 a publisher's token gets from an
    admin-only one."""
    denied = {"401": {**_error("no token, or an unknown one"),
                      "headers": {"WWW-Authenticate": {"schema": STRING}}}}
    if admin:
        denied["403"] = _error("a publisher's token on an admin-only route")
    return {**responses, **denied}


def _query(name: str, schema: Schema, description: str) -> dict[str, Any]:
    repeated = schema.get("type") == "array"
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, **({"style": "form", "explode": True} if repeated else {})}


def _names(what: str) -> dict[str, Any]:
    return _query(what, array({"type": "string", "minLength": 1}),
                  f"{what} to keep (repeat to keep several)")


_FILTERS = [
    _query("from", STRING, "calls started at or after this ISO-8601 time or date; without "
           "an offset it is read in the config's timezone"),
    _query("to", STRING, "calls started before this ISO-8601 time or date"),
    *(_names(name) for name in ("campaign", "source", "publisher", "sub_id")),
    _query("number", array(STRING), "tracking numbers, any common spelling"),
    _query("status", array({"enum": [s.value for s in CallStatus]}), "call statuses"),
    _query("tag", array({"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*:"}),
           "KEY:VALUE, a tag the call must carry"),
    _query("converted", {"type": "boolean"}, "converted calls only, or unconverted only"),
    _query("test", {"enum": list(TEST_CHOICES), "default": "exclude"},
           "test calls (from monitor.caller_id): left out by default, `include` adds them, "
           "`only` shows them alone"),
]
_FORMAT = _query("format", {"enum": ["json", "csv"]},
                 "csv for a spreadsheet (so does Accept: text/csv)")
_CSV = {"text/csv": {"schema": STRING}}
_ID = {"name": "id", "in": "path", "required": True, "schema": STRING}
_GROUPS = list(NAMES)

PATHS: dict[str, dict[str, Any]] = {
    "/healthz": {"get": {"summary": "Should this node get traffic: the config digest and each "
                                    "part's state",
                         "responses": {"200": _json("serving", ref("Health")),
                                       "503": _json("store or FastAGI down", ref("Health"))}}},
    "/swap.js": {"get": {
        "summary": "The browser snippet", "parameters": [
            {"name": "If-None-Match", "in": "header", "schema": STRING},
            {"name": "Accept-Encoding", "in": "header", "schema": STRING}],
        "responses": {"200": {"description": "the script",
                              "headers": {"ETag": {"schema": STRING}},
                              "content": {"text/javascript": {"schema": STRING}}},
                      "304": {"description": "the cached copy is current"}}}},
    "/swap/session": {
        "post": {"summary": "The number a page view shows; records the visitor's session",
                 "parameters": [{"name": "Origin", "in": "header", "schema": STRING}],
                 "requestBody": {"required": True, "content": {
                     "application/json": {"schema": ref("SwapRequest")}}},
                 "responses": {"200": _json("the number to show", ref("SwapAnswer")),
                               "400": _error("a malformed body or an unknown campaign"),
                               "403": _error("an Origin that is not one of the sites"),
                               "503": _error("the store did not take the write: try again")}},
        "options": {"summary": "CORS preflight for the campaigns' sites",
                    "parameters": [{"name": "Origin", "in": "header", "schema": STRING}],
                    "responses": {"204": {"description": "allowed"},
                                  "403": _error("an Origin that is not one of the sites")}}},
    "/api/config/reload": {"post": {
        "summary": "Reload the config file; a bad file keeps the running config",
        "security": _ADMIN, "responses": _authed({
            "200": _json("reloaded", ref("Reloaded")),
            "422": _json("the file has errors; nothing changed", ref("Reloaded")),
            "503": _json("the store did not answer; nothing changed, try again",
                         ref("Reloaded"))}, admin=True)}},
    "/api/pools": {"get": {"summary": "Pools with leases, utilisation and recommended size",
                           "security": _ADMIN, "responses": _authed(
                               {"200": _json("every pool", ref("Pools"))}, admin=True)}},
    "/api/numbers": {"get": {
        "summary": "Tracking numbers: the whole inventory (admin), or a publisher's own",
        "security": _ADMIN, "parameters": [
            _query("campaign", STRING, "only this campaign's numbers"),
            _query("state", array({"enum": list(STATES)}), "only numbers in these states")],
        "responses": _authed({
            "200": _json("the numbers", ref("Numbers")),
            "400": _error("a bad parameter")}, admin=False)}},
    "/api/numbers/release": {"post": {
        "summary": "Take numbers out of service now (leases end, cooling-off starts); the "
                   "config file is not rewritten: the answer names the lines to delete",
        "security": _ADMIN,
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": ref("ReleaseRequest")}}},
        "responses": _authed({
            "200": _json("what was released", ref("Released")),
            "400": _error("not JSON, or not the documented object"),
            "404": _error("a number, campaign or pool the inventory does not hold; nothing "
                          "was released")}, admin=True)}},
    "/api/snippet-test": {"post": {
        "summary": "Fetch a page and tell whether the snippet is installed",
        "security": _ADMIN,
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": ref("SnippetTestRequest")}}},
        "responses": _authed({
            "200": _json("the page was fetched", ref("SnippetReport")),
            "400": _error("not JSON, not an http(s) URL, or not a public address"),
            "502": _error("the page could not be fetched")}, admin=True)}},
    "/api/calls": {"get": {
        "summary": "Calls, newest first, a page at a time (a publisher sees its own)",
        "security": _ADMIN, "parameters": [
            *_FILTERS, _query("cursor", STRING, "`next` of the previous page"),
            _query("limit", {"type": "integer", "minimum": 1, "maximum": PAGE_MAX},
                   "calls per page"), _FORMAT],
        "responses": _authed({
            "200": {**_json("a page of calls", ref("CallPage")),
                    "content": {"application/json": {"schema": ref("CallPage")}, **_CSV}},
            "400": _error("a bad parameter")}, admin=False)}},
    "/api/calls/{id}": {"get": {
        "summary": "One call with its decision trace", "security": _ADMIN,
        "parameters": [_ID], "responses": _authed({
            "200": _json("the call", ref("Call")), "400": _error("a query parameter was sent"),
            "404": _error("no such call (or another publisher's)")}, admin=False)}},
    "/api/reports": {"get": {
        "summary": "Calls, answers, conversions and spend grouped by one dimension",
        "security": _ADMIN, "parameters": [
            *_FILTERS, _query("group", {"type": "string", "anyOf": [
                {"enum": _GROUPS}, {"pattern": "^tag:[A-Za-z_][A-Za-z0-9_]*$"}]},
                "what to group by; tag:KEY groups by a tag; utm_* and landing_page (the "
                "landing URL without its query) by the web visit behind each call"), _FORMAT],
        "responses": _authed({
            "200": {**_json("one row per key", ref("Report")),
                    "content": {"application/json": {"schema": ref("Report")}, **_CSV}},
            "400": _error("a bad parameter")}, admin=False)}},
    "/api/webhooks/deliveries": {"get": {
        "summary": "Outbox deliveries in one status, newest first, with every status's count",
        "security": _ADMIN, "parameters": [
            _query("status", {"enum": ["pending", "claimed", "delivered", "parked", "failed"]},
                   "failed means parked (the default)"),
            _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                   "deliveries to list")],
        "responses": _authed({"200": _json("the deliveries", ref("Deliveries")),
                              "400": _error("a bad parameter")}, admin=True)}},
    "/api/webhooks/deliveries/{id}/retry": {"post": {
        "summary": "Give a parked delivery a fresh series of attempts", "security": _ADMIN,
        "parameters": [_ID], "responses": _authed({
            "200": _json("queued again", ref("Retried")),
            "404": _error("no such delivery"),
            "409": _json("the delivery is not parked", ref("Retried"))}, admin=True)}},
    "/api/monitor": {"get": {
        "summary": "Scheduled test calls: each number's last result (as `callserver test-call` "
                   "prints it) and next run",
        "security": _ADMIN, "responses": _authed(
            {"200": _json("the monitor's numbers", ref("Monitor"))}, admin=True)}},
    "/metrics": {"get": {
        "summary": "Prometheus metrics (the admin token or CALLSERVER_METRICS_TOKEN)",
        "security": _ADMIN, "responses": _authed({"200": {
            "description": "text exposition format 0.0.4",
            "content": {"text/plain": {"schema": STRING}}}}, admin=True)}},
    PATH: {"get": {"summary": "This document",
                   "responses": {"200": _json("OpenAPI 3.1", {"type": "object"})}}},
}

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

