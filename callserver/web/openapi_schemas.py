"""JSON Schemas (OpenAPI 3.1 dialect) of the API's bodies, which `openapi_paths.py` refers to.

They say what the handlers really send, nullable fields included, because the schemathesis
test holds every response to them: a schema looser than the code hides a change, a stricter
one fails the test.
"""

from __future__ import annotations

from typing import Any

from callserver.attribution.request import MAX_COOKIE_CHARS, MAX_COOKIES, MAX_PAGE_VIEWS, MAX_URL
from callserver.config.schema.base import NAME_PATTERN
from callserver.numbers.plan import STATES
from callserver.reports.records import NETWORK
from callserver.reports.visit_fields import PRIVATE
from callserver.store.call_values import CallStatus
from callserver.store.delivery_values import DeliveryKind, DeliveryStatus
from callserver.webhooks.visit import CLICK_IDS, UTM

Schema = dict[str, Any]
STRING: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
NUMBER: Schema = {"type": "number"}
INSTANT: Schema = {"type": "string", "format": "date-time"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Schema], *, optional: tuple[str, ...] = (),
        extra: bool | Schema = False) -> Schema:
    """An object with every property required except `optional`; `extra` decides whether
    properties not listed may appear (no, unless said)."""
    return {"type": "object", "properties": properties,
            "required": [name for name in properties if name not in optional],
            "additionalProperties": extra}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


STRINGS: Schema = {"type": "object", "additionalProperties": STRING}
TOTALS = {"calls": INT, "answered": INT, "converted": INT,
          "conversion_rate": nullable(NUMBER), "avg_talk_seconds": nullable(NUMBER),
          "spend": nullable(NUMBER), "cost_per_call": nullable(NUMBER),
          "cost_per_converted": nullable(NUMBER),
          "revenue": {**nullable(NUMBER), "description": "what buyers paid for the converted "
                      "calls; null for a publisher"},
          "payout": {**NUMBER, "description": "what the calls' publishers are owed"},
          "margin": {**nullable(NUMBER), "description": "revenue - payout - spend; null for a "
                     "publisher"}}
_LEASE = obj({"number": STRING, "session_id": STRING, "leased_at": INSTANT,
              "expires_at": INSTANT})
_POOL = obj({"campaign": STRING, "pool": STRING, "name": STRING, "numbers": array(STRING),
             "fallback": nullable(STRING), "session_timeout": INT, "size": INT, "active": INT,
             "utilisation": NUMBER, "leases": array(_LEASE), "exhaustions_last_day": INT,
             "peak_sessions_last_day": INT, "recommended_size": INT})
_SNIPPET_CAMPAIGN = obj({
    "campaign": STRING, "swap_target": STRING, "found": BOOL, "spellings": array(STRING),
    "in_text": INT, "in_tel_links": INT,
    "direct_visit": obj({"source": nullable(STRING), "number": nullable(STRING),
                         "pool": nullable(STRING)}),
    "would_swap": array(obj({"from": STRING, "to": STRING}))})
_INVENTORY_NUMBER = obj({
    "number": STRING, "kind": STRING, "country": STRING, "region": nullable(STRING),
    "campaign": STRING, "pool": nullable(STRING), "role": {"enum": ["static", "pool", "fallback"]},
    "state": {"enum": list(STATES)}, "listed": BOOL, "first_seen": INSTANT,
    "released_at": nullable(INSTANT), "free_at": nullable(INSTANT), "stray_calls": INT})
_PUBLISHER_NUMBER = obj({
    "number": STRING, "kind": STRING, "country": STRING, "region": nullable(STRING),
    "campaign": STRING, "source": nullable(STRING), "sub_id": nullable(STRING),
    "state": {"enum": ["active"]}})
_CONFIG_ISSUE = obj({"file": STRING, "line": INT, "path": STRING, "message": STRING,
                     "text": STRING})
_VISIT = {
    "landing_url": nullable(STRING), "referrer": nullable(STRING),
    **{name: nullable(STRING) for name in UTM + CLICK_IDS},
    "page_views": nullable(INT),
    "session_first_seen": nullable({**INSTANT, "description": "the visit's first page view"}),
    "session_seconds": nullable({**NUMBER, "description": "seconds (to a tenth) from the "
                                                          "visit's first page view to its last"}),
    "ip": nullable({**STRING, "description": "as privacy stored it; admin only"}),
    "user_agent": nullable({**STRING, "description": "admin only"}),
    "cookies": nullable({**STRINGS, "description": "capture_cookies' values; admin only"}),
}
_TEST_CALL = obj({
    "number": STRING, "ok": BOOL, "problems": array(STRING), "expect_target": nullable(STRING),
    "call": obj({"number": STRING, "placed_at": INSTANT, "ended_at": INSTANT,
                 "failure": nullable(STRING), "answer_s": nullable(NUMBER),
                 "first_audio_s": nullable(NUMBER), "audio_frames": INT,
                 "digits_sent": STRING, "dtmf_heard": STRING, "answered": BOOL}),
    "routing": nullable(obj({
        "call_id": STRING, "status": {"enum": [s.value for s in CallStatus]},
        "campaign": nullable(STRING), "source": nullable(STRING), "ivr_path": array(STRING),
        "dialled": array(STRING), "answered_target": nullable(STRING),
        "reason": nullable(STRING)}))})

SCHEMAS: dict[str, Schema] = {
    "Error": obj({"error": STRING}),
    "Health": obj({"status": {"enum": ["ok", "degraded"]}, "config": STRING,
                   "store": STRING, "agi": STRING, "ami": STRING}),
    "SwapRequest": obj({
        "campaign": {"type": "string", "pattern": NAME_PATTERN},
        "visitor_id": nullable({"type": "string", "pattern": "^[A-Za-z0-9_-]{22}$"}),
        "url": {"type": "string", "maxLength": MAX_URL, "description": "http(s) page URL"},
        "referrer": nullable({"type": "string", "maxLength": MAX_URL}),
        "cookies": nullable({"type": "object", "maxProperties": MAX_COOKIES,
                             "additionalProperties": {"type": "string",
                                                      "maxLength": MAX_COOKIE_CHARS}}),
        "page_views": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_VIEWS},
    }, optional=("visitor_id", "referrer", "cookies", "page_views"), extra=True),
    "SwapAnswer": obj({
        "visitor_id": STRING, "session_id": nullable(STRING), "number": nullable(STRING),
        "source": nullable(STRING), "lease_expires_at": nullable(INSTANT),
        "renew_after_s": nullable(INT), "swap_target": nullable(STRING),
        "capture_cookies": array(STRING), "cookie_domain": nullable(STRING)}),
    "Reloaded": obj({"reloaded": BOOL, "config": STRING, "errors": array(_CONFIG_ISSUE),
                     "warnings": array(_CONFIG_ISSUE)}, optional=("errors", "warnings")),
    "Pools": obj({"at": INSTANT, "pools": array(_POOL)}),
    "ReleaseRequest": obj({
        "numbers": {**array(STRING), "description": "numbers, any common spelling"},
        "campaigns": {**array(STRING), "description": "every active number of each"},
        "pools": {**array(STRING), "description": "CAMPAIGN/POOL, or POOL in any campaign"}},
        optional=("numbers", "campaigns", "pools")),
    "Numbers": obj({"numbers": array(
        {"anyOf": [_INVENTORY_NUMBER, _PUBLISHER_NUMBER],
         "description": "the inventory's record (admin), or a publisher's own number"})}),
    "Released": obj({
        "released": array(_INVENTORY_NUMBER), "leases_ended": array(STRING),
        "already_released": array(_INVENTORY_NUMBER),
        "delete_from_config": array(obj({"file": STRING, "line": INT, "path": STRING,
                                         "text": STRING}))}),
    "SnippetTestRequest": obj({"url": STRING, "allow_private": BOOL},
                              optional=("allow_private",), extra=True),
    "SnippetReport": obj({
        "url": STRING, "final_url": STRING, "status": INT, "bytes": INT, "truncated": BOOL,
        "elapsed_ms": INT,
        "swap_js": obj({"included": BOOL, "src": array(STRING), "async": BOOL}),
        "campaigns": array(_SNIPPET_CAMPAIGN)}),
    "Call": obj({
        "id": STRING, "started_at": INSTANT, "status": {"enum": [s.value for s in CallStatus]},
        "number": STRING, "caller": STRING, "campaign": nullable(STRING),
        "source": nullable(STRING), "publisher": nullable(STRING), "sub_id": nullable(STRING),
        "tags": STRINGS, "ivr_path": array(STRING), "answered_at": nullable(INSTANT),
        "ended_at": nullable(INSTANT), "ring_seconds": nullable(NUMBER),
        "talk_seconds": nullable(NUMBER), "answered_target": nullable(STRING),
        "converted": BOOL, "hangup_cause": nullable(STRING), "recording": nullable(STRING),
        "voicemail": nullable(STRING),
        "revenue": {**nullable(NUMBER), "description": "what the answering buyer pays for it "
                    "(0 unless converted; admin only)"},
        "payout": {**nullable(NUMBER), "description": "what its publisher is owed (0 unless "
                   "converted)"},
        "session_id": nullable(STRING), "merged": BOOL, "attribution": nullable(STRING),
        "uniqueid": nullable(STRING), "linkedid": nullable(STRING),
        "test": {"type": "boolean", "description": "a monitor's test call (monitor.caller_id)"},
        **_VISIT,
        "trace": {"description": "the call's decision trace, as `callserver simulate` prints; "
                           "null for a publisher (its counts span every publisher's calls)"},
    }, optional=(*PRIVATE, *NETWORK)),
    "CallPage": obj({"calls": array(ref("Call")),
                     "next": nullable({"type": "string", "description": "cursor of the next "
                                       "page; null on the last"})}),
    "Report": obj({"group": STRING, "timezone": STRING,
                   "rows": array(obj({"key": nullable(STRING), **TOTALS})),
                   "total": obj(TOTALS)}),
    "Delivery": obj({
        "id": STRING, "event": STRING, "kind": {"enum": [k.value for k in DeliveryKind]},
        "call_id": nullable(STRING), "method": STRING, "url": STRING, "headers": STRINGS,
        "headers_env": {**STRINGS, "description": "header to the NAME of the environment "
                        "variable whose value it is sent with (never the value)"},
        "body": STRING, "status": {"enum": [s.value for s in DeliveryStatus]}, "attempts": INT,
        "last_error": nullable(STRING), "created_at": INSTANT, "next_attempt_at": INSTANT,
        "settled_at": nullable(INSTANT)}),
    "Deliveries": obj({
        "status": {"enum": [s.value for s in DeliveryStatus]},
        "counts": obj({str(status): INT for status in DeliveryStatus}),
        "deliveries": array(ref("Delivery"))}),
    "Retried": obj({"retried": BOOL, "delivery": ref("Delivery"), "error": STRING},
                   optional=("error",)),
    "Monitor": obj({
        "enabled": BOOL, "server": nullable(STRING),
        "numbers": array(obj({"number": STRING, "digits": STRING,
                              "expect_target": nullable(STRING), "interval_s": INT,
                              "next_run": INSTANT, "last": nullable(_TEST_CALL)}))}),
}
