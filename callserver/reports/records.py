"""Calls and report rows as the API shows them: JSON objects, and the same fields as CSV rows.

Instants are UTC ISO-8601 text, as stored. A CSV cell that a spreadsheet would run as a
formula (`=`, `@`, or `+`/`-` not starting a number: caller ids come from outside) is
prefixed with `'`, so an export opened in Excel shows the text instead of running it.
"""

from __future__ import annotations

import re
from typing import Any

from callserver.reports.totals import Totals
from callserver.store.calls import Call
from callserver.store.columns import instant, optional_instant, to_json

CALL_COLUMNS = ("id", "started_at", "status", "number", "caller", "campaign", "source",
                "publisher", "sub_id", "tags", "ivr_path", "answered_at", "ended_at",
                "ring_seconds", "talk_seconds", "answered_target", "converted", "hangup_cause",
                "recording", "session_id", "merged", "attribution", "uniqueid", "linkedid",
                "test")
REPORT_COLUMNS = tuple(Totals().record())
_NUMERIC = re.compile(r"^[+-]?[0-9][0-9.]*$")


def call_record(call: Call) -> dict[str, Any]:
    """Every field of the call, its decision trace included."""
    end = call.end
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
        "session_id": call.session_id, "merged": call.merged,
        "attribution": call.attribution, "uniqueid": call.uniqueid, "linkedid": call.linkedid,
        "test": call.test, "trace": call.trace,
    }


def call_row(call: Call) -> list[str]:
    """The call as a CSV row of CALL_COLUMNS: tags as JSON, IVR digits space-separated, and no
    trace (a nested document, not a cell)."""
    record = call_record(call)
    record["tags"] = to_json(record["tags"])
    record["ivr_path"] = " ".join(record["ivr_path"])
    return [cell(record[name]) for name in CALL_COLUMNS]


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
