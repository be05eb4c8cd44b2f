"""What the sessions' leases say: which session held a pool number when (a call's attribution),
how many numbers a visitor holds (the per-visitor limit), and each pool's demand over time (its
recommended size). Reads only, over `visitor_sessions` joined with `pool_numbers`."""

import sqlite3
from datetime import datetime, timedelta

from callserver.attribution.calls import Touch, lease_holder
from callserver.store.columns import instant, parse_instant
from callserver.store.sessions import VisitorSession, get


def touches_for_number(conn: sqlite3.Connection, number: str) -> list[Touch]:
    """The session holding, or last to hold, pool number `number`, with its lease's span."""
    rows = conn.execute(
        "SELECT p.session_id, s.source, s.first_seen, p.leased_at, p.expires_at "
        "FROM pool_numbers p JOIN visitor_sessions s ON s.session_id = p.session_id "
        "WHERE p.number = ?",
        (number,),
    )
    return [
        Touch(session_id, source, parse_instant(first), parse_instant(leased),
              parse_instant(expires))
        for session_id, source, first, leased, expires in rows
    ]


def session_for_call(
    conn: sqlite3.Connection, number: str, at: datetime, grace: timedelta
) -> VisitorSession | None:
    """The session a call to pool number `number` at `at` belongs to, with all it captured:
    the lease holder at `at`, or the one whose lease ended within `grace` before it."""
    holder = lease_holder(touches_for_number(conn, number), at, grace)
    return None if holder is None else get(conn, holder.session_id)


_BY_VISITOR = """
    SELECT count(*) FROM visitor_sessions s JOIN pool_numbers p ON p.session_id = s.session_id
    WHERE s.visitor_id = :visitor AND s.campaign = :campaign AND s.last_seen >= :since
        AND p.expires_at > :now
"""
# No lease outlives the last page view of its session by more than the longest timeout.
_LONGEST_LEASE = timedelta(days=1)


def leases_held_by_visitor(
    conn: sqlite3.Connection, visitor_id: str, campaign: str, now: datetime
) -> int:
    params = {"now": instant(now), "since": instant(now - _LONGEST_LEASE),
              "visitor": visitor_id, "campaign": campaign}
    (count,) = conn.execute(_BY_VISITOR, params).fetchone()
    return int(count)


def pool_demand(
    conn: sqlite3.Connection, pool: str, since: datetime
) -> list[tuple[datetime, datetime]]:
    """First and last page view of each session that wanted a number of `pool` (leased or
    shown the fallback) and was seen since `since`."""
    rows = conn.execute(
        "SELECT first_seen, last_seen FROM visitor_sessions WHERE pool = ? AND last_seen >= ?",
        (pool, instant(since)),
    )
    return [(parse_instant(first), parse_instant(last)) for first, last in rows]
