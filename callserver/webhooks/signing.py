"""Standard Webhooks signatures: `webhook-id`, `webhook-timestamp`, `webhook-signature`.

The signature is `v1,` + base64(HMAC-SHA256(key, f"{id}.{timestamp}.{body}")). A secret
written `whsec_<base64>` (the Standard Webhooks form, what their libraries generate) signs with
the decoded bytes; any other secret signs with its UTF-8 bytes. Receivers deduplicate on the
id, which stays the same across retries, and refuse timestamps far from their clock (replays).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta

ID, TIMESTAMP, SIGNATURE = "webhook-id", "webhook-timestamp", "webhook-signature"
TOLERANCE = timedelta(minutes=5)


def _key(secret: str) -> bytes:
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
        except binascii.Error:
            pass  # not base64 after all: the whole string is the secret
    return secret.encode()


def signature(secret: str, msg_id: str, timestamp: int, body: str | bytes) -> str:
    payload = body.encode() if isinstance(body, str) else body
    signed = f"{msg_id}.{timestamp}.".encode() + payload
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def sign(secret: str, msg_id: str, at: datetime, body: str | bytes) -> dict[str, str]:
    """The three headers of a signed request sent at `at`."""
    timestamp = int(at.timestamp())
    return {ID: msg_id, TIMESTAMP: str(timestamp),
            SIGNATURE: signature(secret, msg_id, timestamp, body)}


def verify(secret: str, headers: Mapping[str, str], body: str | bytes, now: datetime,
           tolerance: timedelta = TOLERANCE) -> bool:
    """For receivers: True when a request carries a valid signature made within `tolerance`
    of `now`. `headers` may be any mapping (names are matched without regard to case); the
    signature header may list several space-separated signatures (a rotated secret)."""
    lowered = {name.lower(): value for name, value in headers.items()}
    msg_id, stamp, offered = (lowered.get(name, "") for name in (ID, TIMESTAMP, SIGNATURE))
    if not (msg_id and stamp.isdigit() and offered):
        return False
    if abs(now.timestamp() - int(stamp)) > tolerance.total_seconds():
        return False
    expected = signature(secret, msg_id, int(stamp), body)
    return any(hmac.compare_digest(expected, candidate) for candidate in offered.split())
