"""The AMI client: stays logged in to Asterisk and hands its events, in order, to the tracker.

Why not panoramisk's `Manager` (1.4, read at the source): it pings every 10 s but never looks
at the answer, so a half-open link (Asterisk's host gone without a FIN) stays "connected"
forever; it reconnects on a fixed 2 s timer and never says a login was refused; it runs async
event handlers as unreferenced tasks side by side, so a Hangup can be handled before the
Newchannel of the same call; and its reader decodes each read on its own, dropping a UTF-8
character split across reads, and strips away an empty last field. Its message parsing is
the failing part and its other pieces are entangled with it (an `Action` owns a Future made
at construction, the protocol reaches into the `Manager`), so this is a small client on
asyncio streams. tests/asterisk/test_ami_panoramisk_gaps.py shows those failures.

Events missed while away are not replayed by Asterisk; instead every (re)connect runs
`CoreShowChannels` and hands the live channels to `on_reconnect`, in order with the events.
`resync()` runs the same listing on the live link, for what the store learnt that AMI has no
event for (another node's calls closed by the heartbeat, whose channels nobody here follows).
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import logging
import random
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import NoReturn

from callserver.asterisk.ami.backoff import Backoff
from callserver.asterisk.ami.correlate import AmiResponse
from callserver.asterisk.ami.errors import (
    AmiConnectionLost,
    AmiError,
    AmiLoginFailed,
    AmiNotConnected,
)
from callserver.asterisk.ami.event_queue import DropOldestQueue
from callserver.asterisk.ami.link import AmiLink, describe
from callserver.asterisk.ami.wire import AmiMessage, FieldValue

EventHandler = Callable[[AmiMessage], Awaitable[None]]
ReconnectHandler = Callable[[tuple[AmiMessage, ...]], Awaitable[None]]


class AmiState(enum.StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    BACKOFF = "backoff"
    STOPPED = "stopped"


@dataclass(eq=False)
class _Snapshot:
    """Holds the place, in the event queue, where Asterisk began listing channels."""

    channels: asyncio.Future[tuple[AmiMessage, ...] | None]


class AmiClient:
    def __init__(
        self,
        host: str,
        port: int,
        username: str,
        secret: str,
        on_event: EventHandler,
        *,
        on_reconnect: ReconnectHandler | None = None,
        ping_interval: float = 10.0,
        ping_timeout: float = 5.0,
        action_timeout: float = 10.0,
        connect_timeout: float = 5.0,
        backoff: Backoff | None = None,
        queue_size: int = 10_000,
        log: logging.Logger | None = None,
    ) -> None:
        self._host, self._port = host, port
        self._username, self._secret = username, secret
        self._on_event, self._on_reconnect = on_event, on_reconnect
        self._ping_interval, self._ping_timeout = ping_interval, ping_timeout
        self._action_timeout, self._connect_timeout = action_timeout, connect_timeout
        self._backoff = backoff or Backoff()
        self._log = log or logging.getLogger(__name__)
        self.address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self._events: DropOldestQueue[AmiMessage | _Snapshot] = DropOldestQueue(
            queue_size, self._log, f"AMI {self.address} event", lambda i: isinstance(i, _Snapshot)
        )
        counter = itertools.count(1)
        prefix = f"callserver-{secrets.token_hex(4)}"
        self._new_id = lambda: f"{prefix}-{next(counter)}"
        self._state = AmiState.STOPPED
        self._link: AmiLink | None = None
        self._snapshot: tuple[str, _Snapshot] | None = None
        self._listing = asyncio.Lock()  # one listing at a time: `_snapshot` has one slot
        self._tasks: tuple[asyncio.Task[None], ...] = ()
        self.failed_callbacks = 0

    @property
    def state(self) -> AmiState:
        return self._state

    @property
    def dropped_events(self) -> int:
        return self._events.dropped

    async def start(self) -> None:
        if self._tasks:
            raise RuntimeError("AmiClient already started")
        self._state = AmiState.CONNECTING
        self._tasks = (
            asyncio.create_task(self._dispatch(), name="ami-dispatch"),
            asyncio.create_task(self._supervise(), name="ami-supervise"),
        )

    async def stop(self) -> None:
        """Cancel everything and wait for it; actions in flight fail with AmiConnectionLost."""
        for task in self._tasks:
            task.cancel()
        outcomes = await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = ()
        self._state = AmiState.STOPPED
        for outcome in outcomes:
            if isinstance(outcome, Exception):
                raise outcome

    async def send_action(self, name: str, **fields: FieldValue) -> AmiResponse:
        """Send `name` with CamelCase AMI fields, answered within `action_timeout`.

        Raises AmiNotConnected rather than queue the action, since replaying an Originate after
        a reconnect could ring a phone twice; TimeoutError when no answer comes in time.
        """
        if self._link is None or self._state is not AmiState.CONNECTED:
            raise AmiNotConnected(f"AMI {self.address} is {self._state}")
        return await _ask(self._link, name, fields, self._action_timeout)

    async def resync(self) -> bool:
        """List Asterisk's channels now, on the live link, and hand them to `on_reconnect` in
        order with the events, as a reconnect does; True once they are queued for it, False
        if Asterisk refused the listing (logged).

        A listing already being taken (a reconnect's, another resync's) is waited for, never
        overlapped, and then a fresh one is taken: the one in flight may predate the reason to
        ask. Raises AmiNotConnected without a logged-in link, and AmiConnectionLost or
        TimeoutError when the link fails first: the next connect's own listing then stands in.
        """
        if self._link is None or self._state is not AmiState.CONNECTED:
            raise AmiNotConnected(f"AMI {self.address} is {self._state}")
        link = self._link
        async with self._listing:
            return await self._reconcile(link)

    async def _supervise(self) -> NoReturn:
        """Connect, and after every loss wait and connect again, until cancelled.

        Only a bug can end it otherwise; `state` then says "stopped" and `stop()` raises it.
        """
        attempt = 0
        try:
            while True:
                self._state = AmiState.CONNECTING
                level, failure = await self._attempt()
                if self._state is AmiState.CONNECTED:
                    attempt = 0
                delay = self._backoff.delay(attempt, random.random())
                attempt += 1
                self._state = AmiState.BACKOFF
                self._log.log(level, "AMI %s %s; retrying in %.1f s", self.address, failure, delay)
                await asyncio.sleep(delay)
        finally:
            self._state = AmiState.STOPPED

    async def _attempt(self) -> tuple[int, str]:
        """One connection, from dial to loss; returns how its end is logged."""
        try:
            async with asyncio.timeout(self._connect_timeout):
                link = await AmiLink.open(self._host, self._port, self._on_message, self._new_id)
        except TimeoutError:
            return logging.WARNING, f"unreachable (no answer within {self._connect_timeout:g} s)"
        except (OSError, AmiError) as exc:
            return logging.WARNING, f"unreachable ({describe(exc)})"
        self._link = link
        try:
            await self._session(link)
        except AmiLoginFailed as exc:
            return logging.ERROR, f"refused login as {self._username!r} ({exc})"
        except (OSError, AmiError) as exc:
            verb = "connection lost" if self._state is AmiState.CONNECTED else "unreachable"
            return logging.WARNING, f"{verb} ({describe(exc)})"
        finally:
            self._link = None
            await link.close()

    async def _session(self, link: AmiLink) -> NoReturn:
        login = {"Username": self._username, "Secret": self._secret}
        answer = await _ask(link, "Login", login, self._action_timeout)
        if not answer.ok:
            raise AmiLoginFailed(answer.message or str(answer.response.response))
        self._state = AmiState.CONNECTED
        self._log.info(
            "AMI %s connected (Asterisk Call Manager/%s) as %r",
            self.address,
            link.version,
            self._username,
        )
        async with self._listing:
            await self._reconcile(link)
        while True:
            done, _ = await asyncio.wait({link.reading}, timeout=self._ping_interval)
            if done:
                raise link.reading.exception() or AmiConnectionLost("reader stopped")
            await _ask(link, "Ping", {}, self._ping_timeout)

    async def _reconcile(self, link: AmiLink) -> bool:
        """Under `_listing`: the marker goes into the queue when the listing's Response arrives
        (`_on_message`), so the events before it are handled first and those after it wait."""
        marker = _Snapshot(asyncio.get_running_loop().create_future())
        action_id = self._new_id()
        self._snapshot = (action_id, marker)
        try:
            answer = await _ask(link, "CoreShowChannels", {}, self._action_timeout, action_id)
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
                if not isinstance(item, _Snapshot):
                    await self._on_event(item)
                elif (channels := await item.channels) is not None and self._on_reconnect:
                    await self._on_reconnect(channels)
            except Exception:
                self.failed_callbacks += 1
                self._log.exception("AMI %s handler failed", self.address)


async def _ask(
    link: AmiLink,
    name: str,
    fields: Mapping[str, FieldValue],
    within: float,
    action_id: str | None = None,
) -> AmiResponse:
    """`link.request` bounded in time, with a timeout that says which action went unanswered."""
    try:
        async with asyncio.timeout(within):
            return await link.request(name, fields, action_id)
    except TimeoutError:
        raise TimeoutError(f"no answer to {name} within {within:g} s") from None
