"""When a failed delivery is tried again: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h
after each failure (about a day in all, as Standard Webhooks senders do), then never.

Each wait is stretched or shrunk by up to a tenth at random, so deliveries that failed together
(a receiver's outage) do not all come back in the same second.
"""

from __future__ import annotations

from datetime import timedelta

DELAYS = (timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30),
          timedelta(hours=2), timedelta(hours=5), timedelta(hours=10), timedelta(hours=10))
ATTEMPTS = len(DELAYS) + 1
JITTER = 0.1


def retry_delay(failed_attempts: int, jitter: float) -> timedelta | None:
    """How long to wait after the `failed_attempts`-th failure (1 for the first), or None when
    the delivery has had all its attempts; `jitter` is uniform in [0, 1)."""
    if failed_attempts < 1:
        raise ValueError(f"failed_attempts counts from 1, got {failed_attempts}")
    if failed_attempts > len(DELAYS):
        return None
    return DELAYS[failed_attempts - 1] * (1 + JITTER * (2 * jitter - 1))
