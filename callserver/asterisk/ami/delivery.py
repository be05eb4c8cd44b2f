"""Hands AMI events and channel listings to the tracker one at a time, in arrival order.

Events missed while away are not replayed by Asterisk, so a listing of the live channels
(`CoreShowChannels`) stands in for them. It tells how the channels stood at one point in the
stream, so it must reach the tracker at that point: a marker goes into the event queue when
Asterisk begins answering the listing, the events before it are handled first, and those after
it wait until the listing is complete.

A base of `AmiClient`, which sets the attributes declared here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import NoReturn

from callserver.asterisk.ami.ask import ask
from callserver.asterisk.ami.event_queue import DropOldestQueue
from callserver.asterisk.ami.link import AmiLink
from callserver.asterisk.ami.wire import AmiMessage

EventHandler = Callable[[AmiMessage], Awaitable[None]]
ReconnectHandler = Callable[[tuple[AmiMessage, ...]], Awaitable[None]]


@dataclass(eq=False)
class Snapshot:
    """Holds the place, in the event queue, where Asterisk began listing channels."""

    channels: asyncio.Future[tuple[AmiMessage, ...] | None]


class EventDelivery:
    address: str
    failed_callbacks: int
    _log: logging.Logger
    _on_event: EventHandler
    _on_reconnect: ReconnectHandler | None
    _action_timeout: float
    _new_id: Callable[[], str]
    _events: DropOldestQueue[AmiMessage | Snapshot]
    _snapshot: tuple[str, Snapshot] | None

    async def _reconcile(self, link: AmiLink) -> bool:
        """Under `_listing`: the marker goes into the queue when the listing's Response arrives
        (`_on_message`), so the events before it are handled first and those after it wait."""
        marker = Snapshot(asyncio.get_running_loop().create_future())
        action_id = self._new_id()
        self._snapshot = (action_id, marker)
        try:
            answer = await ask(link, "CoreShowChannels", {}, self._action_timeout, action_id)
        except BaseException:
            marker.channels.set_result(None)
            raise
        finally:
            self._snapshot = None
        marker.channels.set_result(answer.events if answer.ok else None)
        if not answer.ok:
            self._log.error(
                "AMI %s refused CoreShowChannels (%s); calls cannot be reconciled until the "
                "manager user may use it (write = system or reporting)",
                self.address,
                answer.message,
            )
        return answer.ok

    def _on_message(self, message: AmiMessage, claimed: bool) -> None:
        snapshot = self._snapshot
        if snapshot and message.response is not None and message.action_id == snapshot[0]:
            self._events.put(snapshot[1])
        if not claimed and message.event is not None:
            self._events.put(message)

    async def _dispatch(self) -> NoReturn:
        """Run the handlers one at a time, in arrival order.

        A handler's exception is logged with its traceback and counted (`failed_callbacks`),
        and the next event is still delivered: one bad event must not blind the call tracker.
        """
        while True:
            item = await self._events.get()
            try:
                if not isinstance(item, Snapshot):
                    await self._on_event(item)
                elif (channels := await item.channels) is not None and self._on_reconnect:
                    await self._on_reconnect(channels)
            except Exception:
                self.failed_callbacks += 1
                self._log.exception("AMI %s handler failed", self.address)
