"""A webhook delivery as values: what is sent, where, how, and how far it got.

Kept apart from the SQL (`delivery_rows`, `outbox`) so that the readers of a delivery (the
sender, the operator API and its schemas, the dashboard, metrics) depend on plain frozen
values, not on the store's tables.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    DELIVERED = "delivered"
    PARKED = "parked"


class DeliveryKind(StrEnum):
    WEBHOOK = "webhook"  # signed with the secret named by `secret_env`, if any
    GA4 = "ga4"  # `secret_env` names the Measurement Protocol API secret, added to the URL


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
    kind: DeliveryKind = DeliveryKind.WEBHOOK
    method: str = "POST"
    secret_env: str | None = None
    claimed_by: str | None = None  # the node whose worker claimed it last
    # Header name (lower case) to the NAME of the variable whose value is sent in it: the
    # values are read at send time, so no credential is ever stored with the delivery.
    headers_env: Mapping[str, str] = field(default_factory=dict)
