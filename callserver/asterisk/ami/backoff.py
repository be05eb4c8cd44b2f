"""How long to wait before the next AMI connection attempt.

Exponential so a long Asterisk outage costs a log line every 30 s, not every 2 s; jittered
downwards so several callserver nodes do not reconnect in lockstep, and never above the cap.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    initial: float = 0.5
    cap: float = 30.0
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if not (0 < self.initial <= self.cap and 0 <= self.jitter < 1):
            raise ValueError(f"bad backoff {self}")

    def delay(self, attempt: int, rand: float) -> float:
        """Seconds before retry number `attempt` (0 first); `rand` in [0, 1) from the caller."""
        base = min(self.cap, self.initial * 2.0 ** min(attempt, 64))
        return base * (1 - self.jitter * rand)
