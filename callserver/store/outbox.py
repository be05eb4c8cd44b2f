"""The webhook outbox: deliveries persisted before they are attempted, so none is lost.

A worker claims due deliveries; the claim marks them 'claimed', names the worker's node and
moves `next_attempt_at` to the end of the claim, so each goes out once, unless the worker dies
holding it: then it is due again as soon as a live node finds that node dead (`release_claims`),
or else when the claim ends (delivery is at least once; receivers deduplicate on the id). The
worker then marks each delivered, failed with a retry time, or parked once out of retries.
Workers on several PostgreSQL nodes racing for one delivery conflict on its row, and the loser's
batch runs again on a snapshot where it is claimed (no SKIP LOCKED needed: tests/cluster).
The delivery itself is a value (`delivery_values`), stored as a row (`delivery_rows`).
"""

import sqlite3
from collections.abc import Collection
from datetime import datetime, timedelta

from callserver.store.columns import instant
from callserver.store.delivery_rows import COLUMNS, delivery_of, row_values
from callserver.store.delivery_values import Delivery, DeliveryStatus
from callserver.store.transactions import first_row

_CLAIM = f"""
    UPDATE webhook_outbox
    SET status = 'claimed', attempts = attempts + 1, next_attempt_at = :until,
        claimed_by = :node
    WHERE id IN (
        SELECT id FROM webhook_outbox
        WHERE status IN ('pending', 'claimed') AND next_attempt_at <= :now
        ORDER BY next_attempt_at LIMIT :limit)
    RETURNING {COLUMNS}
"""


def enqueue(conn: sqlite3.Connection, delivery: Delivery) -> None:
    """Persist a new delivery, due at its `next_attempt_at` (or already parked, if so made)."""
    values = row_values(delivery)
    conn.execute(
        f"INSERT INTO webhook_outbox ({', '.join(values)}) "
        f"VALUES ({', '.join('?' for _ in values)})",
        tuple(values.values()),
    )


def claim_due(
    conn: sqlite3.Connection, now: datetime, hold: timedelta, limit: int,
    node: str | None = None,
) -> list[Delivery]:
    """Claim up to `limit` due deliveries for `hold` (longer than one attempt), oldest first,
    for the worker of `node`."""
    rows = conn.execute(
        _CLAIM, {"now": instant(now), "until": instant(now + hold), "limit": limit, "node": node}
    ).fetchall()
    return sorted((delivery_of(row) for row in rows), key=lambda d: (d.created_at, d.id))


def release_claims(conn: sqlite3.Connection, nodes: Collection[str], now: datetime) -> list[str]:
    """Deliveries claimed by workers of `nodes` (found dead) are due again at `now`, as if their
    attempt had failed; returns their ids."""
    if not nodes:
        return []
    rows = conn.execute(
        "UPDATE webhook_outbox SET status = ?, next_attempt_at = ? "
        f"WHERE status = ? AND claimed_by IN ({', '.join('?' for _ in nodes)}) RETURNING id",
        (DeliveryStatus.PENDING, instant(now), DeliveryStatus.CLAIMED, *nodes),
    ).fetchall()
    return sorted(row["id"] for row in rows)


def mark_delivered(conn: sqlite3.Connection, delivery_id: str, now: datetime) -> bool:
    return _settle_claim(conn, delivery_id, DeliveryStatus.DELIVERED, settled_at=instant(now))


def retry_at(conn: sqlite3.Connection, delivery_id: str, at: datetime, error: str) -> bool:
    """The attempt failed: try again at `at`."""
    return _settle_claim(
        conn, delivery_id, DeliveryStatus.PENDING, next_attempt_at=instant(at), last_error=error
    )


def park(conn: sqlite3.Connection, delivery_id: str, now: datetime, error: str) -> bool:
    """Out of retries: keep the delivery, failed and visible, instead of trying again."""
    return _settle_claim(
        conn, delivery_id, DeliveryStatus.PARKED, settled_at=instant(now), last_error=error
    )


def parked(conn: sqlite3.Connection) -> list[Delivery]:
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM webhook_outbox WHERE status = ? ORDER BY created_at, id",
        (DeliveryStatus.PARKED,),
    )
    return [delivery_of(row) for row in rows]


def with_status(conn: sqlite3.Connection, status: DeliveryStatus, limit: int) -> list[Delivery]:
    """The newest `limit` deliveries in `status`, newest first."""
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM webhook_outbox WHERE status = ? "
        "ORDER BY created_at DESC, id DESC LIMIT ?",
        (status, limit),
    )
    return [delivery_of(row) for row in rows]


def count_by_status(conn: sqlite3.Connection) -> dict[DeliveryStatus, int]:
    """How many deliveries are in each status (every status present, zero if none)."""
    rows = conn.execute("SELECT status, count(*) FROM webhook_outbox GROUP BY status")
    counts = dict.fromkeys(DeliveryStatus, 0)
    counts.update({DeliveryStatus(status): count for status, count in rows})
    return counts


def get(conn: sqlite3.Connection, delivery_id: str) -> Delivery | None:
    row = first_row(conn, f"SELECT {COLUMNS} FROM webhook_outbox WHERE id = ?", (delivery_id,))
    return None if row is None else delivery_of(row)


def requeue(conn: sqlite3.Connection, delivery_id: str, now: datetime) -> bool:
    """Give a parked delivery a fresh series of attempts, the first due at `now`; False if it
    is not parked. Its last error stays until the next attempt replaces it."""
    cursor = conn.execute(
        "UPDATE webhook_outbox SET status = ?, attempts = 0, next_attempt_at = ?, "
        "settled_at = NULL WHERE id = ? AND status = ?",
        (DeliveryStatus.PENDING, instant(now), delivery_id, DeliveryStatus.PARKED),
    )
    return cursor.rowcount == 1


def _settle_claim(
    conn: sqlite3.Connection, delivery_id: str, status: DeliveryStatus, **columns: str
) -> bool:
    """End a claim; False if the delivery is not claimed (already settled, or never claimed)."""
    assignments = ", ".join(f"{name} = ?" for name in ["status", *columns])
    cursor = conn.execute(
        f"UPDATE webhook_outbox SET {assignments} WHERE id = ? AND status = ?",
        (status, *columns.values(), delivery_id, DeliveryStatus.CLAIMED),
    )
    return cursor.rowcount == 1

