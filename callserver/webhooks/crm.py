"""The CRM hand-off of seed 003: a call as a touchpoint a marketing-attribution tool can merge.

Bizible (Marketo Measure) reads a `_biz_uid` cookie on the site; a call carrying that id, typed
"Call", becomes a touchpoint on the visitor's journey. Other tools keep their visitor id in
another cookie (HubSpot's `hubspotutk`), which a campaign names in `analytics.crm_id_cookie`.
Web sessions last 30 minutes in Bizible's eyes: a call from a session that began longer ago
than that is not merged with the session, and the payload says so, so the CRM records the call
as its own touch (docs/webhooks.md).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from callserver.store.call_values import Call
from callserver.store.sessions import VisitorSession
from callserver.webhooks.visit import CLICK_IDS, UTM, iso


def crm_payload(call: Call, session: VisitorSession | None, merge_window: timedelta,
                id_cookie: str) -> dict[str, Any] | None:
    """The call as a CRM touch; None unless its session captured the `id_cookie` cookie.
    `bizible_id` carries the id whichever cookie held it, so a mapping written for Bizible
    keeps working; `marketing_id` and `id_cookie` say it plainly."""
    marketing_id = session.cookies.get(id_cookie) if session is not None else None
    if session is None or not marketing_id:
        return None
    talk = call.end.talk_seconds if call.end is not None else None
    return {
        "type": "Call",
        "bizible_id": marketing_id,
        "marketing_id": marketing_id,
        "id_cookie": id_cookie,
        "caller": call.caller,
        "number": call.number,
        "called_at": iso(call.started_at),
        "duration": round(talk or 0),
        "merged": call.started_at - session.first_seen <= merge_window,
        "session_started_at": iso(session.first_seen),
        "channel": {"source": session.source, "landing": session.landing_url,
                    "referrer": session.referrer,
                    **{name: getattr(session, name) for name in UTM + CLICK_IDS}},
    }
