"""The web visit behind a call as fields of the call's record, beside the call's own fields in
the API, the CSV export and the dashboard.

The session's own names (`landing_url`, `referrer`, the five `utm_*`, `gclid`, `fbclid`,
`msclkid`, `cookies` captured, `page_views`, `ip` and `user_agent` as privacy stored them),
with the session's first page view as `session_first_seen` and the time from its first page
view to its last as `session_seconds` (to a tenth). A call without a session has every one null.

`ip`, `user_agent` and `cookies` identify a visitor, not an ad: they are the admin's alone. A
publisher's token sees records without those fields at all (not null, which would read as "no
visit"), so a publisher learns which of its ads and keywords called, and no visitor's address,
browser or marketing ids.
"""

from __future__ import annotations

from typing import Any

from callserver.store.columns import instant
from callserver.store.sessions import VisitorSession
from callserver.webhooks.visit import CLICK_IDS, UTM

PRIVATE = ("ip", "user_agent", "cookies")
_SHARED = ("landing_url", "referrer", *UTM, *CLICK_IDS, "page_views")
VISIT_COLUMNS = (*_SHARED, "session_first_seen", "session_seconds", *PRIVATE)


def visit_columns(admin: bool) -> tuple[str, ...]:
    """The visit's fields a principal sees, in record order."""
    return VISIT_COLUMNS if admin else tuple(n for n in VISIT_COLUMNS if n not in PRIVATE)


def visit_fields(visit: VisitorSession | None, admin: bool) -> dict[str, Any]:
    if visit is None:
        return dict.fromkeys(visit_columns(admin))
    seconds = (visit.last_seen - visit.first_seen).total_seconds()
    fields: dict[str, Any] = {name: getattr(visit, name) for name in _SHARED}
    fields["session_first_seen"] = instant(visit.first_seen)
    fields["session_seconds"] = round(seconds, 1)
    if admin:
        fields.update(ip=visit.ip, user_agent=visit.user_agent, cookies=dict(visit.cookies))
    return fields
