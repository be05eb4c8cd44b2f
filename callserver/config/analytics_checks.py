"""A campaign's `analytics` checked for what would load but never arrive: a CRM id cookie the
swap script is never asked to send, and a GA4 event name GA4 would drop or confuse with the
`phone_call` event every completed call sends."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from callserver.config.errors import Found
from callserver.config.schema.campaign import Analytics
from callserver.webhooks.ga4 import EVENT

# GA4's rules for an event name: a letter first, then letters, digits and '_', 40 at most.
_EVENT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
_RESERVED_PREFIXES = ("ga_", "google_", "firebase_")


def analytics_issues(analytics: Analytics, captured: Collection[str] | None) -> Iterator[Found]:
    """`captured`: the campaign's `capture_cookies`, None when the schema cut them (their
    error is reported already, and the cookie is not this check's to judge then)."""
    cookie = analytics.crm_id_cookie
    if ("crm_id_cookie" in analytics.model_fields_set and captured is not None
            and cookie not in captured):
        listed = ", ".join(captured) if captured else "none"
        yield (("analytics", "crm_id_cookie"),
               f"cookie '{cookie}' is not in the campaign's `capture_cookies` (listed: {listed}):"
               " swap.js would never send it, so no call would carry its id", False)
    event = analytics.ga4.converted_event if analytics.ga4 is not None else None
    if event is not None:
        problem = _event_problem(event)
        if problem:
            yield ("analytics", "ga4", "converted_event"), problem, False


def _event_problem(name: str) -> str | None:
    if not _EVENT_NAME.fullmatch(name):
        return ("a GA4 event name is a letter, then letters, digits or '_', 40 at most; "
                f"got '{name}'")
    if name.lower().startswith(_RESERVED_PREFIXES):
        return f"GA4 reserves event names starting ga_, google_ or firebase_; got '{name}'"
    if name == EVENT:
        return (f"every completed call is sent as '{EVENT}' already; name the converted one "
                "apart (e.g. qualified_call) so GA4 can mark only it a key event")
    return None
