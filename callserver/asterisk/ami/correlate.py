"""Match AMI answers to the actions that asked for them, by ActionID.

A plain action is answered by one `Response`. A list action (CoreShowChannels, Status, ...)
is answered by `Response: Success` with `EventList: start`, then events carrying the same
ActionID, then a `...Complete` event with `EventList: Complete`. Events carrying an ActionID
nobody waits for (OriginateResponse after its Response) are left to the event callback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from callserver.asterisk.ami.wire import AmiMessage

SUCCESS = frozenset({"success", "goodbye", "follows"})


@dataclass(frozen=True)
class AmiResponse:
    """The answer to one action: its `Response` and, for a list action, the listed events."""

    response: AmiMessage
    events: tuple[AmiMessage, ...] = ()

    @property
    def ok(self) -> bool:
        return (self.response.response or "").lower() in SUCCESS

    @property
    def message(self) -> str:
        return self.response.get("Message")


@dataclass(frozen=True)
class Completed:
    action_id: str
    answer: AmiResponse


class Correlator:
    """Sans-IO bookkeeping of outstanding ActionIDs and half-received lists."""

    def __init__(self) -> None:
        self._waiting: set[str] = set()
        self._lists: dict[str, tuple[AmiMessage, list[AmiMessage]]] = {}

    def expect(self, action_id: str) -> None:
        self._waiting.add(action_id)

    def forget(self, action_id: str) -> None:
        """Stop waiting (timeout, lost link); a late answer is then treated as unclaimed."""
        self._waiting.discard(action_id)
        self._lists.pop(action_id, None)

    def feed(self, message: AmiMessage) -> Completed | Literal["partial", "unclaimed"]:
        action_id = message.action_id
        if action_id is None:
            return "unclaimed"
        if action_id in self._lists:
            return self._list_item(action_id, message)
        if action_id not in self._waiting or message.response is None:
            return "unclaimed"
        if message.get("EventList").lower() == "start":
            self._lists[action_id] = (message, [])
            return "partial"
        self._waiting.discard(action_id)
        return Completed(action_id, AmiResponse(message))

    def _list_item(self, action_id: str, message: AmiMessage) -> Completed | Literal["partial"]:
        head, items = self._lists[action_id]
        if message.get("EventList").lower() != "complete":
            items.append(message)
            return "partial"
        self.forget(action_id)
        return Completed(action_id, AmiResponse(head, tuple(items)))
