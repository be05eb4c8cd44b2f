"""A delivery as a row of the `webhook_outbox` table: its columns, and the translation both ways.

One place knows how each field is stored (instants as text, `headers` and `headers_env` as
JSON), so every query of the outbox (`outbox`) writes and reads a delivery alike.
"""

import sqlite3
from dataclasses import fields
from typing import Any

from callserver.store.columns import (
    from_json,
    instant,
    optional_instant,
    parse_instant,
    parse_optional_instant,
    to_json,
)
from callserver.store.delivery_values import Delivery, DeliveryKind, DeliveryStatus

COLUMNS = ", ".join(f.name for f in fields(Delivery))


def row_values(delivery: Delivery) -> dict[str, Any]:
    values = {f.name: getattr(delivery, f.name) for f in fields(Delivery)}
    values["headers"] = to_json(dict(delivery.headers))
    values["headers_env"] = to_json(dict(delivery.headers_env))
    values["created_at"] = instant(delivery.created_at)
    values["next_attempt_at"] = instant(delivery.next_attempt_at)
    values["settled_at"] = optional_instant(delivery.settled_at)
    return values


def delivery_of(row: sqlite3.Row) -> Delivery:
    values: dict[str, Any] = dict(zip(row.keys(), row, strict=True))
    values["headers"] = from_json(row["headers"])
    values["headers_env"] = from_json(row["headers_env"])
    values["status"] = DeliveryStatus(row["status"])
    values["kind"] = DeliveryKind(row["kind"])
    values["created_at"] = parse_instant(row["created_at"])
    values["next_attempt_at"] = parse_instant(row["next_attempt_at"])
    values["settled_at"] = parse_optional_instant(row["settled_at"])
    return Delivery(**values)
