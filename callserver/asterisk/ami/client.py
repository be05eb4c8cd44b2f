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

This module is the client's public face; staying logged in is `reconnect`, and handing events
and listings over in order is `delivery`.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import secrets

from callserver.asterisk.ami.ask import ask
from callserver.asterisk.ami.backoff import Backoff
from callserver.asterisk.ami.correlate import AmiResponse
from callserver.asterisk.ami.delivery import EventHandler, ReconnectHandler, Snapshot
from callserver.asterisk.ami.errors import AmiNotConnected
from callserver.asterisk.ami.event_queue import DropOldestQueue
from callserver.asterisk.ami.link import AmiLink
from callserver.asterisk.ami.reconnect import AmiState, Reconnecting
from callserver.asterisk.ami.wire import AmiMessage, FieldValue


class AmiClient(Reconnecting):
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
        self._events: DropOldestQueue[AmiMessage | Snapshot] = DropOldestQueue(
            queue_size, self._log, f"AMI {self.address} event", lambda i: isinstance(i, Snapshot)
        )
        counter = itertools.count(1)
        prefix = f"callserver-{secrets.token_hex(4)}"
        self._new_id = lambda: f"{prefix}-{next(counter)}"
        self._state = AmiState.STOPPED
        self._link: AmiLink | None = None
        self._snapshot: tuple[str, Snapshot] | None = None
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
        return await ask(self._link, name, fields, self._action_timeout)

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
