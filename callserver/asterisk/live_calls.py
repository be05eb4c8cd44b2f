"""What this node keeps in memory of its calls: the round-robin position of each campaign's
number, which the next call there starts from.

Calls in progress are not counted here: concurrency caps count them from the store, where
every node's calls are (`store.live_counts`).
"""

from __future__ import annotations


class LiveCalls:
    def __init__(self) -> None:
        self.rotations: dict[str, int] = {}
