"""Calls and report rows as the API shows them: JSON objects, and the same fields as CSV rows.

A call's record carries the web visit behind it (`visit_fields`) and the money it earned; a
publisher's leaves out the visit's private fields and the call's revenue (the network's money:
it sees its payout), in JSON and CSV alike, and the decision trace: its cap counts and
round-robin turns count every publisher's calls, and its dial strings are the buyers' lines.
Instants are UTC ISO-8601 text, as stored.
A CSV cell that a spreadsheet would run as a formula (`=`, `@`, or `+`/`-` not starting a
number: caller ids and visit fields come from outside) is prefixed with `'`, so an export
opened in Excel shows the text instead of running it.
"""

from __future__ import annotations

import re
from typing import Any

from callserver.reports.totals import Totals
from callserver.reports.visit_fields import visit_columns, visit_fields
from callserver.store.call_visits import CallVisit
from callserver.store.columns import instant, optional_instant, to_json

CALL_COLUMNS = ("id", "started_at", "status", "number", "caller", "campaign", "source",
                "publisher", "sub_id", "tags", "ivr_path", "answered_at", "ended_at",
                "ring_seconds", "talk_seconds", "answered_target", "converted", "hangup_cause",
                "recording", "voicemail", "revenue", "payout", "session_id", "merged",
                "attribution", "uniqueid", "linkedid", "test")
NETWORK = ("revenue",)  # the call's fields a publisher does not see
REPORT_COLUMNS = tuple(Totals().record())
_NUMERIC = re.compile(r"^[+-]?[0-9][0-9.]*$")


def call_columns(admin: bool) -> tuple[str, ...]:
    """The CSV header of the calls a principal sees."""
    own = CALL_COLUMNS if admin else tuple(n for n in CALL_COLUMNS if n not in NETWORK)
    return own + visit_columns(admin)


def call_record(found: CallVisit, admin: bool) -> dict[str, Any]:
    """Every field of the call and of its visit, the call's decision trace last."""
    call, end = found.call, found.call.end
    return {
        "id": call.id, "started_at": instant(call.started_at),
        "status": call.status.value, "number": call.number, "caller": call.caller,
        "campaign": call.campaign, "source": call.source, "publisher": call.publisher,
        "sub_id": call.sub_id, "tags": dict(call.tags), "ivr_path": list(call.ivr_path),
        "answered_at": optional_instant(end.answered_at if end else None),
        "ended_at": optional_instant(end.ended_at if end else None),
        "ring_seconds": end and end.ring_seconds, "talk_seconds": end and end.talk_seconds,
        "answered_target": end and end.answered_target,
        "converted": bool(end and end.converted),
        "hangup_cause": end and end.hangup_cause, "recording": end and end.recording,
        "voicemail": end and end.voicemail,
        **({"revenue": end and end.revenue} if admin else {}), "payout": end and end.payout,
        "session_id": call.session_id, "merged": call.merged,
        "attribution": call.attribution, "uniqueid": call.uniqueid, "linkedid": call.linkedid,
        "test": call.test, **visit_fields(found.visit, admin),
        "trace": call.trace if admin else None,
    }


def call_row(found: CallVisit, admin: bool) -> list[str]:
    """The call as a CSV row of `call_columns`: tags and cookies as JSON, IVR digits
    space-separated, and no trace (a nested document, not a cell)."""
    record = call_record(found, admin)
    record["tags"] = to_json(record["tags"])
    record["ivr_path"] = " ".join(record["ivr_path"])
    if record.get("cookies") is not None:
        record["cookies"] = to_json(record["cookies"])
    return [cell(record[name]) for name in call_columns(admin)]


def report_record(key: str | None, totals: Totals) -> dict[str, Any]:
    return {"key": key, **totals.record()}


def report_row(key: str | None, totals: Totals) -> list[str]:
    return [cell(value) for value in report_record(key, totals).values()]


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text[:1] in ("=", "@", "\t", "\r") or (text[:1] in ("+", "-")
                                                and not _NUMERIC.match(text)):
        return "'" + text
    return text
