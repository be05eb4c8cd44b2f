"""What this node keeps in memory of its calls: the round-robin turn of each campaign's
target list (`routing.rotation_key`), which a call takes when it plans and moves on at once.

Calls in progress are not counted here: concurrency caps count them from the store, where
every node's calls are (`store.live_counts`).
"""

from __future__ import annotations


class LiveCalls:
    def __init__(self) -> None:
        self.rotations: dict[str, int] = {}
