"""Visitor sessions: what the swap endpoint learnt of a web visit, for a later call to inherit."""

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter
from typing import Any

from callserver.attribution.visit import TRACKED_PARAMS
from callserver.store.columns import from_json, instant, parse_instant, to_json


@dataclass(frozen=True)
class VisitorSession:
    session_id: str
    visitor_id: str
    campaign: str
    first_seen: datetime
    last_seen: datetime
    source: str | None = None
    number: str | None = None
    pool: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    landing_url: str | None = None
    referrer: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_term: str | None = None
    utm_content: str | None = None
    gclid: str | None = None
    fbclid: str | None = None
    msclkid: str | None = None
    cookies: Mapping[str, str] = field(default_factory=dict)
    page_views: int = 1
    captured: Mapping[str, str] = field(default_factory=dict)  # `capture_params`, by destination


_COLUMNS = tuple(f.name for f in fields(VisitorSession))
_FIELDS = attrgetter(*_COLUMNS)
_FIRST, _LAST, _COOKIES, _CAPTURED = (
    _COLUMNS.index(n) for n in ("first_seen", "last_seen", "cookies", "captured"))
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM visitor_sessions"
_MERGE = f"""
    INSERT INTO visitor_sessions ({", ".join(_COLUMNS)})
    VALUES ({", ".join("?" for _ in _COLUMNS)})
    ON CONFLICT (session_id) DO UPDATE SET
        last_seen = CASE WHEN excluded.last_seen > visitor_sessions.last_seen
            THEN excluded.last_seen ELSE visitor_sessions.last_seen END,
        source = coalesce(excluded.source, visitor_sessions.source),
        number = coalesce(excluded.number, visitor_sessions.number),
        pool = coalesce(excluded.pool, visitor_sessions.pool),
        ip = coalesce(excluded.ip, visitor_sessions.ip),
        user_agent = coalesce(excluded.user_agent, visitor_sessions.user_agent),
        page_views = CASE WHEN excluded.page_views > visitor_sessions.page_views
            THEN excluded.page_views ELSE visitor_sessions.page_views END,
        cookies = json_patch(visitor_sessions.cookies, excluded.cookies)
"""
_UPSERT = f"{_MERGE} RETURNING {', '.join(_COLUMNS)}"
# A revisit that moves the credit to another source (last touch, mid-session) takes that visit's
# own data, so the click id and UTM tags stored are those of the touch that holds the credit.
_RETOUCH = _MERGE + "".join(f",\n        {name} = excluded.{name}"
                            for name in ("landing_url", "referrer", *TRACKED_PARAMS,
                                         "captured"))


def upsert(conn: sqlite3.Connection, session: VisitorSession) -> VisitorSession:
    """Store a new session, or a revisit of a known one; returns the session as now stored.

    A revisit keeps what the session landed with (first_seen, landing URL, referrer, UTM tags,
    click ids and captured parameters) and takes the newest of the rest: last_seen, source,
    number and pool shown, IP, user agent, cookies (merged by name) and page views (never
    fewer than before).
    """
    return _session(conn.execute(_UPSERT, _values(session)).fetchone())


def record(conn: sqlite3.Connection, session: VisitorSession, *,
           retouched: bool = False) -> None:
    """`upsert` for a writer that needs nothing back: no row to read and parse (the swap
    endpoint writes one per page view). `retouched`: this page view moved the session's credit
    to another source, so its landing URL, referrer, UTM tags and click ids replace those the
    session landed with."""
    conn.execute(_RETOUCH if retouched else _MERGE, _values(session))


def _values(session: VisitorSession) -> list[Any]:
    """The row in `_COLUMNS` order (one per page view: `attrgetter` reads them all at once)."""
    values = list(_FIELDS(session))
    values[_FIRST] = instant(session.first_seen)
    values[_LAST] = (values[_FIRST] if session.last_seen == session.first_seen
                     else instant(session.last_seen))
    values[_COOKIES] = to_json(dict(session.cookies))
    values[_CAPTURED] = to_json(dict(session.captured)) if session.captured else "{}"
    return values


def get(conn: sqlite3.Connection, session_id: str) -> VisitorSession | None:
    row = conn.execute(f"{_SELECT} WHERE session_id = ?", (session_id,))
    return _optional(row.fetchone())


def latest_for_visitor(
    conn: sqlite3.Connection, visitor_id: str, campaign: str
) -> VisitorSession | None:
    """The visitor's most recent session in the campaign, to continue or to time out."""
    row = conn.execute(
        f"{_SELECT} WHERE visitor_id = ? AND campaign = ? ORDER BY last_seen DESC LIMIT 1",
        (visitor_id, campaign),
    ).fetchone()
    return _optional(row)


def _optional(row: sqlite3.Row | None) -> VisitorSession | None:
    return None if row is None else _session(row)


def _session(row: sqlite3.Row) -> VisitorSession:
    return session_of(dict(zip(row.keys(), row, strict=True)))


def session_of(columns: Mapping[str, Any]) -> VisitorSession:
    """A session from its row's columns by name, stored as they are (instants, JSON text)."""
    values = dict(columns)
    values["first_seen"] = parse_instant(values["first_seen"])
    values["last_seen"] = parse_instant(values["last_seen"])
    values["cookies"] = from_json(values["cookies"])
    values["captured"] = from_json(values["captured"])
    return VisitorSession(**values)
