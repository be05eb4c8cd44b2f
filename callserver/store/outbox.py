"""The webhook outbox: deliveries persisted before they are attempted, so none is lost.

A worker claims due deliveries; the claim marks them 'claimed' and moves `next_attempt_at` to the
end of the claim, so each goes out once, unless the worker dies holding it (then it is due again
when the claim ends: delivery is at least once, and receivers deduplicate on the id). The worker
then marks each delivered, failed with a retry time, or parked once out of retries.
"""

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from callserver.store.columns import (
    from_json,
    instant,
    parse_instant,
    parse_optional_instant,
    to_json,
)


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    DELIVERED = "delivered"
    PARKED = "parked"


@dataclass(frozen=True)
class Delivery:
    id: str
    event: str
    url: str
    body: str
    created_at: datetime
    next_attempt_at: datetime
    call_id: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    last_error: str | None = None
    settled_at: datetime | None = None


_COLUMNS = ", ".join(f.name for f in fields(Delivery))
_CLAIM = f"""
    UPDATE webhook_outbox
    SET status = 'claimed', attempts = attempts + 1, next_attempt_at = :until
    WHERE id IN (
        SELECT id FROM webhook_outbox
        WHERE status IN ('pending', 'claimed') AND next_attempt_at <= :now
        ORDER BY next_attempt_at LIMIT :limit)
    RETURNING {_COLUMNS}
"""


def enqueue(conn: sqlite3.Connection, delivery: Delivery) -> None:
    """Persist a new delivery, due at its `next_attempt_at`."""
    conn.execute(
        "INSERT INTO webhook_outbox "
        "(id, event, call_id, url, headers, body, created_at, next_attempt_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            delivery.id,
            delivery.event,
            delivery.call_id,
            delivery.url,
            to_json(dict(delivery.headers)),
            delivery.body,
            instant(delivery.created_at),
            instant(delivery.next_attempt_at),
        ),
    )


def claim_due(
    conn: sqlite3.Connection, now: datetime, hold: timedelta, limit: int
) -> list[Delivery]:
    """Claim up to `limit` due deliveries for `hold` (longer than one attempt), oldest first."""
    rows = conn.execute(
        _CLAIM, {"now": instant(now), "until": instant(now + hold), "limit": limit}
    ).fetchall()
    return sorted((_delivery(row) for row in rows), key=lambda d: (d.created_at, d.id))


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
        f"SELECT {_COLUMNS} FROM webhook_outbox WHERE status = ? ORDER BY created_at, id",
        (DeliveryStatus.PARKED,),
    )
    return [_delivery(row) for row in rows]


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


def _delivery(row: sqlite3.Row) -> Delivery:
    values: dict[str, Any] = dict(zip(row.keys(), row, strict=True))
    values["headers"] = from_json(row["headers"])
    values["status"] = DeliveryStatus(row["status"])
    values["created_at"] = parse_instant(row["created_at"])
    values["next_attempt_at"] = parse_instant(row["next_attempt_at"])
    values["settled_at"] = parse_optional_instant(row["settled_at"])
    return Delivery(**values)
