"""The web visit behind a call, as JSON values: what templates, GA4 and CRM payloads share."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from callserver.store.sessions import VisitorSession

UTM = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
CLICK_IDS = ("gclid", "fbclid", "msclkid")
_TOKENS = ("id", "source", *UTM, *CLICK_IDS, "landing", "referrer", "ip", "user_agent",
           "cookies", "first_seen", "last_seen", "duration_s", "page_views", "captured")


def iso(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).isoformat(timespec="seconds").replace(
        "+00:00", "Z")


def session_tokens(session: VisitorSession | None) -> dict[str, Any]:
    """The visit behind the call; every key present and empty when there was none. `ip` and
    `user_agent` are what the store holds (privacy may have truncated, hashed or erased them),
    so no template can send more of a visitor than the file's `privacy` keeps."""
    if session is None:
        return dict.fromkeys(_TOKENS) | {"cookies": {}, "captured": {}}
    return {"id": session.session_id, "source": session.source,
            **{name: getattr(session, name) for name in UTM + CLICK_IDS},
            "landing": session.landing_url, "referrer": session.referrer,
            "ip": session.ip, "user_agent": session.user_agent,
            "cookies": dict(session.cookies), "first_seen": iso(session.first_seen),
            "last_seen": iso(session.last_seen),
            "duration_s": int((session.last_seen - session.first_seen).total_seconds()),
            "page_views": session.page_views, "captured": dict(session.captured)}
