"""Stays logged in to Asterisk: connect, log in, list the channels, ping; after every loss,
wait (with backoff) and connect again, until cancelled.

Each Ping must be answered in time or the link is given up, so a half-open link (Asterisk's host
gone without a FIN) does not stay "connected"; a refused login is logged as an error, not as an
unreachable host, and retried, since an admin may fix manager.conf. Each connection's end is
one log line that says why and when the next attempt comes.

A base of `AmiClient`, which sets the attributes declared here.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random
from typing import NoReturn

from callserver.asterisk.ami.ask import ask
from callserver.asterisk.ami.backoff import Backoff
from callserver.asterisk.ami.delivery import EventDelivery
from callserver.asterisk.ami.errors import AmiConnectionLost, AmiError, AmiLoginFailed
from callserver.asterisk.ami.link import AmiLink, describe


class AmiState(enum.StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    BACKOFF = "backoff"
    STOPPED = "stopped"


class Reconnecting(EventDelivery):
    _host: str
    _port: int
    _username: str
    _secret: str
    _ping_interval: float
    _ping_timeout: float
    _connect_timeout: float
    _backoff: Backoff
    _state: AmiState
    _link: AmiLink | None
    _listing: asyncio.Lock

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
        answer = await ask(link, "Login", login, self._action_timeout)
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
            await ask(link, "Ping", {}, self._ping_timeout)
