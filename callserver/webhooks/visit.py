"""The web visit behind a call, as JSON values: what templates, GA4 and CRM payloads share."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from callserver.store.sessions import VisitorSession

UTM = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
CLICK_IDS = ("gclid", "fbclid", "msclkid")


def iso(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).isoformat(timespec="seconds").replace(
        "+00:00", "Z")


def session_tokens(session: VisitorSession | None) -> dict[str, Any]:
    """The visit behind the call; every key present and empty when there was none."""
    if session is None:
        return {"id": None, "source": None, **dict.fromkeys(UTM + CLICK_IDS), "landing": None,
                "referrer": None, "cookies": {}, "first_seen": None, "page_views": None}
    return {"id": session.session_id, "source": session.source,
            **{name: getattr(session, name) for name in UTM + CLICK_IDS},
            "landing": session.landing_url, "referrer": session.referrer,
            "cookies": dict(session.cookies), "first_seen": iso(session.first_seen),
            "page_views": session.page_views}
