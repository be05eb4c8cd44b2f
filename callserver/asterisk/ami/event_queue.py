"""A bounded queue between the AMI socket and the event callback.

When the callback falls behind (a slow database, a burst of events) the socket must keep
being read, or Pongs queue behind events and a healthy link looks dead. So the oldest event
is dropped, counted, and said once per burst: a line when dropping starts, one when it ends.
Items that `keep` marks (the reconnect snapshot, one per reconnect) are never dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class DropOldestQueue(Generic[T]):
    def __init__(
        self,
        maxsize: int,
        log: logging.Logger,
        label: str,
        keep: Callable[[T], bool] = lambda _: False,
    ) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self._items: deque[T] = deque()
        self._keep = keep
        self._maxsize = maxsize
        self._ready = asyncio.Event()
        self._log = log
        self._label = label
        self.dropped = 0
        self._burst = 0

    def __len__(self) -> int:
        return len(self._items)

    def put(self, item: T) -> None:
        if len(self._items) >= self._maxsize:
            self._drop_oldest()
        self._items.append(item)
        self._ready.set()

    def _drop_oldest(self) -> None:
        victim = next((i for i, old in enumerate(self._items) if not self._keep(old)), None)
        if victim is not None:
            del self._items[victim]
            self.dropped += 1
            if not self._burst:
                self._log.warning(
                    "%s queue full (%d); dropping the oldest until the handler catches up",
                    self._label,
                    self._maxsize,
                )
            self._burst += 1

    async def get(self) -> T:
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        item = self._items.popleft()
        if not self._items and self._burst:
            self._log.warning(
                "%s queue caught up; %d dropped in that burst", self._label, self._burst
            )
            self._burst = 0
        return item
