"""Calls in progress on this node, by scope, for concurrency caps; and round-robin positions.

The AGI side knows when a call starts, which targets it is dialling, and when it ends, so it
keeps these counts exactly for its own calls. (AMI's tracker sees all calls on the PBX.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


class LiveCalls:
    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self.rotations: dict[str, int] = {}

    def count(self, scope: str) -> int:
        return self._counts[scope]

    def scopes(self) -> set[str]:
        """Scopes with a call in progress."""
        return set(self._counts)

    @contextmanager
    def holding(self, scopes: Iterable[str]) -> Iterator[None]:
        """Count `scopes` as busy for the duration of the block, however it ends."""
        held = list(scopes)
        self._counts.update(held)
        try:
            yield
        finally:
            self._counts.subtract(held)
            for scope in held:
                if self._counts[scope] <= 0:
                    del self._counts[scope]
