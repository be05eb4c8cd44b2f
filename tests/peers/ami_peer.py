"""A fake Asterisk manager on a real TCP socket (127.0.0.1), speaking AMI byte for byte.

What it writes is copied from Asterisk's main/manager.c, manager_channels.c and
manager_bridges.c: the banner, Login (accepted, then FullyBooted; refused, then the socket
closes), Ping, CoreShowChannels as a list, Logoff, "Permission denied" before login and
"Invalid/unknown command" for the rest. Tests drive it:

    async with AmiPeer() as peer:            # listening on peer.port
        calls = peer.calls                   # tests/peers/ami_channels.py
        caller = calls.newchannel("PJSIP/carrier-00000001", "+13125550123", "+18005550101")
        agent = calls.dial_begin(caller, "PJSIP/sales-00000002", "PJSIP/sales")
        calls.dial_end(caller, agent, "ANSWER")
        calls.bridge_enter(caller, agent)
        calls.hangup(agent)                  # BridgeLeave, then Hangup (cause 16)
        peer.silence()                       # half-open: reads, answers nothing, says nothing
        await peer.drop()                    # cut every connection, keep listening
        await peer.restart()                 # Shutdown event, close, listen on the same port
        await peer.wait_for(lambda: peer.count("Ping") >= 2)

`peer.responders["Originate"] = fn` answers more actions (fn gets the action, returns the
messages to send); `peer.forbidden.add("CoreShowChannels")` refuses one as manager.conf would
without the write permission; `peer.interleave(event, fields)` slips an event into the next
channel list.

Its channel table (`peer.calls.live`) follows the events it emits, so CoreShowChannels lists
what a reconnecting client should reconcile with. Events emitted with no logged-in client are
lost, as in Asterisk.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType

from callserver.asterisk.ami.wire import AmiMessage, AmiParser
from tests.peers.ami_channels import ChannelTable, Fields

Responder = Callable[[AmiMessage], Sequence[Fields]]


@dataclass(frozen=True)
class ReceivedAction:
    message: AmiMessage
    answered: bool

    @property
    def name(self) -> str:
        return self.message.get("Action")


@dataclass(eq=False)
class _Session:
    writer: asyncio.StreamWriter
    authenticated: bool = False


def encode(fields: Fields) -> bytes:
    return "".join(f"{key}: {value}\r\n" for key, value in fields).encode() + b"\r\n"


class AmiPeer:
    def __init__(
        self,
        username: str = "callserver",
        secret: str = "s3cret",
        *,
        version: str = "5.0.1",
        port: int = 0,
    ) -> None:
        self.username, self.secret, self.version, self.port = username, secret, version, port
        self.actions: list[ReceivedAction] = []
        self.logins = 0
        self.calls = ChannelTable(self.emit)
        self.responders: dict[str, Responder] = {}
        self.forbidden: set[str] = set()  # actions the manager user lacks write permission for
        self._interleaved: list[Fields] = []
        self._silent = False
        self._sessions: set[_Session] = set()
        self._handlers: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None
        self._changed = asyncio.Condition()

    async def __aenter__(self) -> AmiPeer:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop(announce=False)

    async def start(self) -> None:
        """Listen, on the same port as before if it ran already."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self, *, announce: bool = True) -> None:
        """Stop listening and close every connection, after a Shutdown event if `announce`."""
        if announce:
            self.emit("Shutdown", [("Shutdown", "Cleanly"), ("Restart", "True")], "system")
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        await self._close_all(abort=False)

    async def restart(self) -> None:
        """Asterisk restarting: Shutdown event, connections closed, listening again."""
        await self.stop()
        await self.start()

    async def drop(self) -> None:
        """Cut every connection without a word (a crash, a cable); keep listening."""
        await self._close_all(abort=True)

    def silence(self) -> None:
        """Go half-open: keep sockets and read actions, but answer and send nothing."""
        self._silent = True

    def resume(self) -> None:
        self._silent = False

    @property
    def connections(self) -> int:
        return len(self._sessions)

    def count(self, action: str, *, answered: bool | None = None) -> int:
        return sum(
            1
            for received in self.actions
            if received.name.lower() == action.lower() and answered in (None, received.answered)
        )

    async def wait_for(self, predicate: Callable[[], bool]) -> None:
        """Wait until `predicate()` holds; re-checked after every action, login and hang-up."""
        async with self._changed:
            await self._changed.wait_for(predicate)

    def emit(self, event: str, fields: Fields, privilege: str = "call") -> None:
        """Send an event to every logged-in client (unless silent)."""
        if self._silent:
            return
        payload = encode(_event(event, fields, privilege))
        for session in self._sessions:
            if session.authenticated:
                session.writer.write(payload)

    def interleave(self, event: str, fields: Fields, privilege: str = "call") -> None:
        """Hold an event back and send it in the middle of the next CoreShowChannels answer,
        as Asterisk may when a call changes while it lists channels (the table is untouched)."""
        self._interleaved.append(_event(event, fields, privilege))

    async def _close_all(self, *, abort: bool) -> None:
        for session in list(self._sessions):
            if abort:
                session.writer.transport.abort()
            else:
                session.writer.close()
        await asyncio.gather(*self._handlers)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        session = _Session(writer)
        self._sessions.add(session)
        if not self._silent:
            writer.write(f"Asterisk Call Manager/{self.version}\r\n".encode())
        parser = AmiParser()
        try:
            with contextlib.suppress(ConnectionError):
                while (data := await reader.read(65536)) and not writer.is_closing():
                    for action in parser.feed(data):
                        await self._receive(session, action)
        finally:
            self._sessions.discard(session)
            self._handlers.discard(task)
            writer.close()
            async with self._changed:
                self._changed.notify_all()

    async def _receive(self, session: _Session, action: AmiMessage) -> None:
        answered = not self._silent
        if answered:
            for reply in self._answer(session, action):
                session.writer.write(encode(reply))
        self.actions.append(ReceivedAction(action, answered))
        async with self._changed:
            self._changed.notify_all()

    def _answer(self, session: _Session, action: AmiMessage) -> list[Fields]:
        name = action.get("Action")
        key = name.lower()
        if key == "login":
            return self._login(session, action)
        if key == "logoff":
            session.writer.write(encode(_response(action, "Goodbye", "Thanks for all the fish.")))
            session.writer.close()
            return []
        if not session.authenticated or key in {f.lower() for f in self.forbidden}:
            return [_response(action, "Error", "Permission denied")]
        if key == "ping":
            stamp = f"{time.time():.6f}"
            return [[*_response(action, "Success"), ("Ping", "Pong"), ("Timestamp", stamp)]]
        if key == "coreshowchannels":
            return self._core_show_channels(action)
        if name in self.responders:
            return list(self.responders[name](action))
        return [
            _response(
                action,
                "Error",
                f"Invalid/unknown command: {name}. "
                "Use Action: ListCommands to show available commands.",
            )
        ]

    def _login(self, session: _Session, action: AmiMessage) -> list[Fields]:
        if session.authenticated:
            return [_response(action, "Success", "Already authenticated")]
        if (action.get("Username"), action.get("Secret")) != (self.username, self.secret):
            session.writer.write(encode(_response(action, "Error", "Authentication failed")))
            session.writer.close()
            return []
        session.authenticated = True
        self.logins += 1
        booted = [
            ("Event", "FullyBooted"),
            ("Privilege", "system,all"),
            ("Uptime", "42"),
            ("LastReload", "42"),
            ("Status", "Fully Booted"),
        ]
        return [_response(action, "Success", "Authentication accepted"), booted]

    def _core_show_channels(self, action: AmiMessage) -> list[Fields]:
        action_id = [("ActionID", action.get("ActionID"))] if "ActionID" in action else []
        listed: list[Fields] = [_response(action, "Success", "Channels will follow", "start")]
        listed += self._interleaved
        self._interleaved = []
        for channel in self.calls.live.values():
            listed.append([("Event", "CoreShowChannel"), *action_id, *channel.listing()])
        listed.append(
            [
                ("Event", "CoreShowChannelsComplete"),
                *action_id,
                ("EventList", "Complete"),
                ("ListItems", str(len(self.calls.live))),
            ]
        )
        return listed


def _response(
    action: AmiMessage, status: str, message: str | None = None, event_list: str | None = None
) -> list[tuple[str, str]]:
    """astman_send_response_full: Response, ActionID if given, EventList, Message."""
    fields = [("Response", status)]
    if "ActionID" in action:
        fields.append(("ActionID", action.get("ActionID")))
    if event_list:
        fields.append(("EventList", event_list))
    if message is not None:
        fields.append(("Message", message))
    return fields


def _event(event: str, fields: Fields, privilege: str) -> list[tuple[str, str]]:
    return [("Event", event), ("Privilege", f"{privilege},all"), *fields]
