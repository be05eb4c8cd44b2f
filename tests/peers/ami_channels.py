"""Asterisk's live channels, as the fake manager keeps them: changed only by call events.

Field names and order follow main/manager_channels.c (channel snapshots, Dial*, Hangup) and
main/manager_bridges.c (Bridge*); Hangup's Cause-txt strings are main/channel.c's.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypedDict, Unpack

Fields = Sequence[tuple[str, str]]
Emit = Callable[[str, Fields], None]

STATE_DESC = {0: "Down", 4: "Ring", 5: "Ringing", 6: "Up"}
CAUSE_TXT = {
    16: "Normal Clearing",
    17: "User busy",
    18: "No user responding",
    19: "User alerting, no answer",
    21: "Call Rejected",
    34: "Circuit/channel congestion",
}


@dataclass(frozen=True)
class FakeChannel:
    """One channel as Asterisk snapshots it (ast_manager_build_channel_state_string)."""

    name: str
    uniqueid: str
    linkedid: str
    caller_num: str
    caller_name: str = "<unknown>"
    connected_num: str = "<unknown>"
    connected_name: str = "<unknown>"
    context: str = "from-trunk"
    exten: str = "s"
    state: int = 4
    application: str = "AGI"
    application_data: str = "agi://127.0.0.1:4573/inbound"
    bridge_id: str = ""
    created: float = field(default_factory=time.monotonic)

    def snapshot(self, prefix: str = "") -> list[tuple[str, str]]:
        return [
            (f"{prefix}{key}", value)
            for key, value in (
                ("Channel", self.name),
                ("ChannelState", str(self.state)),
                ("ChannelStateDesc", STATE_DESC.get(self.state, "Unknown")),
                ("CallerIDNum", self.caller_num),
                ("CallerIDName", self.caller_name),
                ("ConnectedLineNum", self.connected_num),
                ("ConnectedLineName", self.connected_name),
                ("Language", "en"),
                ("AccountCode", ""),
                ("Context", self.context),
                ("Exten", self.exten),
                ("Priority", "1"),
                ("Uniqueid", self.uniqueid),
                ("Linkedid", self.linkedid),
            )
        ]

    def listing(self) -> list[tuple[str, str]]:
        """The fields of its CoreShowChannel event, after the ActionID."""
        elapsed = int(time.monotonic() - self.created)
        duration = f"{elapsed // 3600:02d}:{elapsed % 3600 // 60:02d}:{elapsed % 60:02d}"
        return [
            *self.snapshot(),
            ("Application", self.application),
            ("ApplicationData", self.application_data),
            ("Duration", duration),
            ("BridgeId", self.bridge_id),
        ]

    def hangup_fields(self, cause: int = 16) -> list[tuple[str, str]]:
        return [*self.snapshot(), ("Cause", str(cause)), ("Cause-txt", CAUSE_TXT[cause])]


class ChannelChanges(TypedDict, total=False):
    """The fields of a `FakeChannel` a call step may set, beyond its identity."""

    caller_name: str
    connected_num: str
    connected_name: str
    context: str
    state: int
    application: str
    application_data: str
    bridge_id: str


class ChannelTable:
    """The live channels; each method is one step of a call and emits its events."""

    def __init__(self, emit: Emit) -> None:
        self.live: dict[str, FakeChannel] = {}
        self._emit = emit
        self._ids = itertools.count(1)

    def newchannel(
        self,
        name: str,
        caller_num: str,
        exten: str,
        *,
        linkedid: str | None = None,
        **more: Unpack[ChannelChanges],
    ) -> FakeChannel:
        """A channel enters (state Ring unless told) with a fresh Uniqueid: Newchannel."""
        uniqueid = f"1718000000.{next(self._ids)}"
        channel = FakeChannel(name, uniqueid, linkedid or uniqueid, caller_num, exten=exten)
        channel = replace(channel, **more)
        self.live[uniqueid] = channel
        self._emit("Newchannel", channel.snapshot())
        return channel

    def dial_begin(self, caller: FakeChannel, dest_name: str, dial_string: str) -> FakeChannel:
        """An outbound channel in the caller's call (same Linkedid), then DialBegin."""
        dest = self.newchannel(
            dest_name,
            caller.caller_num,
            caller.exten,
            linkedid=caller.linkedid,
            state=0,
            context="from-internal",
            application="AppDial",
            application_data="(Outgoing Line)",
        )
        dial = [*caller.snapshot(), *dest.snapshot("Dest"), ("DialString", dial_string)]
        self._emit("DialBegin", dial)
        return dest

    def dial_end(self, caller: FakeChannel, dest: FakeChannel, status: str) -> None:
        """DialStatus ANSWER, BUSY, NOANSWER, CANCEL, CONGESTION or CHANUNAVAIL."""
        if status == "ANSWER":
            caller, dest = self._set(caller, state=6), self._set(dest, state=6)
            self._emit("Newstate", dest.snapshot())
        self._emit("DialEnd", [*caller.snapshot(), *dest.snapshot("Dest"), ("DialStatus", status)])

    def bridge_enter(self, *members: FakeChannel) -> str:
        bridge_id = f"b0d1e5c0-0000-4000-8000-{next(self._ids):012d}"
        for count, channel in enumerate(members, 1):
            joined = self._set(channel, bridge_id=bridge_id)
            self._emit("BridgeEnter", [*_bridge(bridge_id, count), *joined.snapshot()])
        return bridge_id

    def hangup(self, channel: FakeChannel, cause: int = 16) -> None:
        """BridgeLeave if it is bridged, then Hangup; the channel leaves the table."""
        current = self.live.pop(channel.uniqueid)
        if current.bridge_id:
            left = sum(c.bridge_id == current.bridge_id for c in self.live.values())
            self._emit("BridgeLeave", [*_bridge(current.bridge_id, left), *current.snapshot()])
        self._emit("Hangup", current.hangup_fields(cause))

    def _set(self, channel: FakeChannel, **changes: Unpack[ChannelChanges]) -> FakeChannel:
        updated = replace(self.live[channel.uniqueid], **changes)
        self.live[channel.uniqueid] = updated
        return updated


def _bridge(bridge_id: str, count: int) -> list[tuple[str, str]]:
    return [
        ("BridgeUniqueid", bridge_id),
        ("BridgeType", "basic"),
        ("BridgeTechnology", "simple_bridge"),
        ("BridgeCreator", "<unknown>"),
        ("BridgeName", "<unknown>"),
        ("BridgeNumChannels", str(count)),
        ("BridgeVideoSourceMode", "none"),
    ]
