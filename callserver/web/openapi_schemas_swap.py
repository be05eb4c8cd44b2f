"""The schemas of the browser's side of the API: the swap request and its answer, and the
snippet test that checks a page would swap.
"""

from __future__ import annotations

from callserver.attribution.request import MAX_COOKIE_CHARS, MAX_COOKIES, MAX_PAGE_VIEWS, MAX_URL
from callserver.config.schema.patterns import NAME_PATTERN
from callserver.web.json_schema import BOOL, INSTANT, INT, STRING, Schema, array, nullable, obj

_SNIPPET_CAMPAIGN = obj({
    "campaign": STRING, "swap_target": STRING, "found": BOOL, "spellings": array(STRING),
    "in_text": INT, "in_tel_links": INT,
    "direct_visit": obj({"source": nullable(STRING), "number": nullable(STRING),
                         "pool": nullable(STRING)}),
    "would_swap": array(obj({"from": STRING, "to": STRING}))})

SWAP_SCHEMAS: dict[str, Schema] = {
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
    "SnippetTestRequest": obj({"url": STRING, "allow_private": BOOL},
                              optional=("allow_private",), extra=True),
    "SnippetReport": obj({
        "url": STRING, "final_url": STRING, "status": INT, "bytes": INT, "truncated": BOOL,
        "elapsed_ms": INT,
        "swap_js": obj({"included": BOOL, "src": array(STRING), "async": BOOL}),
        "campaigns": array(_SNIPPET_CAMPAIGN)}),
}
