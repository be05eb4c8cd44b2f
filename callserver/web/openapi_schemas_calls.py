"""The schemas of the calls and reports side of the API: a call with its visit (the private
and network fields optional, since a publisher's answer leaves them out), a page of calls, and
a report's grouped totals.
"""

from __future__ import annotations

from callserver.reports.records import NETWORK
from callserver.reports.visit_fields import PRIVATE
from callserver.store.call_values import CallStatus
from callserver.web.json_schema import (
    BOOL,
    INSTANT,
    INT,
    NUMBER,
    STRING,
    STRINGS,
    Schema,
    array,
    nullable,
    obj,
    ref,
)
from callserver.webhooks.visit import CLICK_IDS, UTM

TOTALS = {"calls": INT, "answered": INT, "converted": INT,
          "conversion_rate": nullable(NUMBER), "avg_talk_seconds": nullable(NUMBER),
          "spend": nullable(NUMBER), "cost_per_call": nullable(NUMBER),
          "cost_per_converted": nullable(NUMBER),
          "revenue": {**nullable(NUMBER), "description": "what buyers paid for the converted "
                      "calls; null for a publisher"},
          "payout": {**NUMBER, "description": "what the calls' publishers are owed"},
          "margin": {**nullable(NUMBER), "description": "revenue - payout - spend; null for a "
                     "publisher"}}
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

CALL_SCHEMAS: dict[str, Schema] = {
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
}
