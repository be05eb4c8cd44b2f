"""The parts the API's OpenAPI operations share, written once so every route says them alike:
JSON answers, the error body, the 401/403 a token-guarded route gives, query parameters (a
repeated one as `?name=a&name=b`, the form the handlers read), and the call filters that
`/api/calls` and `/api/reports` both take, since both read them with the same parser.
"""

from __future__ import annotations

from typing import Any

from callserver.reports.filters import TEST_CHOICES
from callserver.store.call_values import CallStatus
from callserver.web.json_schema import STRING, Schema, array, ref

ADMIN: list[dict[str, list[str]]] = [{"bearer": []}]


def answer(description: str, schema: Schema) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error(description: str) -> dict[str, Any]:
    return answer(description, ref("Error"))


def authed(responses: dict[str, Any], *, admin: bool) -> dict[str, Any]:
    """The 401 every token-guarded route answers, and the 403 a publisher's token gets from an
    admin-only one."""
    denied = {"401": {**error("no token, or an unknown one"),
                      "headers": {"WWW-Authenticate": {"schema": STRING}}}}
    if admin:
        denied["403"] = error("a publisher's token on an admin-only route")
    return {**responses, **denied}


def query(name: str, schema: Schema, description: str) -> dict[str, Any]:
    repeated = schema.get("type") == "array"
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, **({"style": "form", "explode": True} if repeated else {})}


def names(what: str) -> dict[str, Any]:
    return query(what, array({"type": "string", "minLength": 1}),
                 f"{what} to keep (repeat to keep several)")


FILTERS = [
    query("from", STRING, "calls started at or after this ISO-8601 time or date; without "
          "an offset it is read in the config's timezone"),
    query("to", STRING, "calls started before this ISO-8601 time or date"),
    *(names(name) for name in ("campaign", "source", "publisher", "sub_id")),
    query("number", array(STRING), "tracking numbers, any common spelling"),
    query("status", array({"enum": [s.value for s in CallStatus]}), "call statuses"),
    query("tag", array({"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*:"}),
          "KEY:VALUE, a tag the call must carry"),
    query("converted", {"type": "boolean"}, "converted calls only, or unconverted only"),
    query("test", {"enum": list(TEST_CHOICES), "default": "exclude"},
          "test calls (from monitor.caller_id): left out by default, `include` adds them, "
          "`only` shows them alone"),
]
FORMAT = query("format", {"enum": ["json", "csv"]},
               "csv for a spreadsheet (so does Accept: text/csv)")
CSV = {"text/csv": {"schema": STRING}}
PATH_ID = {"name": "id", "in": "path", "required": True, "schema": STRING}
