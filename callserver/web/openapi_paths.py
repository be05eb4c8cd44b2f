"""The route table of the OpenAPI document: one path item per route the app serves (the
dashboard's pages aside), with the parameters and answers its handler really has; the query
limits and choices come from the code that enforces them, so they cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from callserver.numbers.plan import STATES
from callserver.numbers.wanted import COUNTRY, KINDS, PREFIX, REGION
from callserver.reports.groups import NAMES
from callserver.reports.listing import PAGE_MAX
from callserver.web.json_schema import STRING, array, ref
from callserver.web.openapi_operations import (
    ADMIN,
    CSV,
    FILTERS,
    FORMAT,
    PATH_ID,
    answer,
    authed,
    error,
    query,
)
from callserver.web.outbox import MAX_LIMIT

PATH = "/api/openapi.json"

_GROUPS = list(NAMES)
_NUMBER_FACTS = (("country", COUNTRY, "only numbers of these countries (US, CA...)"),
                 ("region", REGION, "only numbers in these states or provinces (IL, ON...)"),
                 ("prefix", PREFIX, "only numbers starting so (+1312, +1800...)"))

PATHS: dict[str, dict[str, Any]] = {
    "/healthz": {"get": {"summary": "Should this node get traffic: the config digest and each "
                                    "part's state",
                         "responses": {"200": answer("serving", ref("Health")),
                                       "503": answer("store or FastAGI down", ref("Health"))}}},
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
                 "responses": {"200": answer("the number to show", ref("SwapAnswer")),
                               "400": error("a malformed body or an unknown campaign"),
                               "403": error("an Origin that is not one of the sites"),
                               "503": error("the store did not take the write: try again")}},
        "options": {"summary": "CORS preflight for the campaigns' sites",
                    "parameters": [{"name": "Origin", "in": "header", "schema": STRING}],
                    "responses": {"204": {"description": "allowed"},
                                  "403": error("an Origin that is not one of the sites")}}},
    "/api/config/reload": {"post": {
        "summary": "Reload the config file; a bad file keeps the running config",
        "security": ADMIN, "responses": authed({
            "200": answer("reloaded", ref("Reloaded")),
            "422": answer("the file has errors; nothing changed", ref("Reloaded")),
            "503": answer("the store did not answer; nothing changed, try again",
                          ref("Reloaded"))}, admin=True)}},
    "/api/pools": {"get": {"summary": "Pools with leases, utilisation and recommended size",
                           "security": ADMIN, "responses": authed(
                               {"200": answer("every pool", ref("Pools"))}, admin=True)}},
    "/api/numbers": {"get": {
        "summary": "Tracking numbers: the whole inventory (admin), or a publisher's own",
        "security": ADMIN, "parameters": [
            query("campaign", STRING, "only this campaign's numbers"),
            query("state", array({"enum": list(STATES)}), "only numbers in these states"),
            query("kind", array({"enum": list(KINDS)}), "only numbers of these kinds"),
            *(query(name, array({**STRING, "pattern": shape.pattern}), what)
              for name, shape, what in _NUMBER_FACTS)],
        "responses": authed({
            "200": answer("the numbers", ref("Numbers")),
            "400": error("a bad parameter")}, admin=False)}},
    "/api/numbers/release": {"post": {
        "summary": "Take numbers out of service now (leases end, cooling-off starts); the "
                   "config file is not rewritten: the answer names the lines to delete",
        "security": ADMIN,
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": ref("ReleaseRequest")}}},
        "responses": authed({
            "200": answer("what was released", ref("Released")),
            "400": error("not JSON, or not the documented object"),
            "404": error("a number, campaign or pool the inventory does not hold; nothing "
                         "was released")}, admin=True)}},
    "/api/snippet-test": {"post": {
        "summary": "Fetch a page and tell whether the snippet is installed",
        "security": ADMIN,
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": ref("SnippetTestRequest")}}},
        "responses": authed({
            "200": answer("the page was fetched", ref("SnippetReport")),
            "400": error("not JSON, not an http(s) URL, or not a public address"),
            "502": error("the page could not be fetched")}, admin=True)}},
    "/api/calls": {"get": {
        "summary": "Calls, newest first, a page at a time (a publisher sees its own)",
        "security": ADMIN, "parameters": [
            *FILTERS, query("cursor", STRING, "`next` of the previous page"),
            query("limit", {"type": "integer", "minimum": 1, "maximum": PAGE_MAX},
                  "calls per page"), FORMAT],
        "responses": authed({
            "200": {**answer("a page of calls", ref("CallPage")),
                    "content": {"application/json": {"schema": ref("CallPage")}, **CSV}},
            "400": error("a bad parameter")}, admin=False)}},
    "/api/calls/{id}": {"get": {
        "summary": "One call with its decision trace", "security": ADMIN,
        "parameters": [PATH_ID], "responses": authed({
            "200": answer("the call", ref("Call")), "400": error("a query parameter was sent"),
            "404": error("no such call (or another publisher's)")}, admin=False)}},
    "/api/reports": {"get": {
        "summary": "Calls, answers, conversions and spend grouped by one dimension",
        "security": ADMIN, "parameters": [
            *FILTERS, query("group", {"type": "string", "anyOf": [
                {"enum": _GROUPS}, {"pattern": "^tag:[A-Za-z_][A-Za-z0-9_]*$"}]},
                "what to group by; tag:KEY groups by a tag; utm_* and landing_page (the "
                "landing URL without its query) by the web visit behind each call"), FORMAT],
        "responses": authed({
            "200": {**answer("one row per key", ref("Report")),
                    "content": {"application/json": {"schema": ref("Report")}, **CSV}},
            "400": error("a bad parameter")}, admin=False)}},
    "/api/webhooks/deliveries": {"get": {
        "summary": "Outbox deliveries in one status, newest first, with every status's count",
        "security": ADMIN, "parameters": [
            query("status", {"enum": ["pending", "claimed", "delivered", "parked", "failed"]},
                  "failed means parked (the default)"),
            query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                  "deliveries to list")],
        "responses": authed({"200": answer("the deliveries", ref("Deliveries")),
                             "400": error("a bad parameter")}, admin=True)}},
    "/api/webhooks/deliveries/{id}/retry": {"post": {
        "summary": "Give a parked delivery a fresh series of attempts", "security": ADMIN,
        "parameters": [PATH_ID], "responses": authed({
            "200": answer("queued again", ref("Retried")),
            "404": error("no such delivery"),
            "409": answer("the delivery is not parked", ref("Retried"))}, admin=True)}},
    "/api/monitor": {"get": {
        "summary": "Scheduled test calls: each number's last result (as `callserver test-call` "
                   "prints it) and next run",
        "security": ADMIN, "responses": authed(
            {"200": answer("the monitor's numbers", ref("Monitor"))}, admin=True)}},
    "/metrics": {"get": {
        "summary": "Prometheus metrics (the admin token or CALLSERVER_METRICS_TOKEN)",
        "security": ADMIN, "responses": authed({"200": {
            "description": "text exposition format 0.0.4",
            "content": {"text/plain": {"schema": STRING}}}}, admin=True)}},
    PATH: {"get": {"summary": "This document",
                   "responses": {"200": answer("OpenAPI 3.1", {"type": "object"})}}},
}
