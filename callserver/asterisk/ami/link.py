"""One TCP connection to an Asterisk manager: banner, a reader task, actions matched to answers.

A link never reconnects and never logs; it ends with an `AmiConnectionLost` that says why, and
every action still waiting fails with it at once instead of hanging until its timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import Callable, Mapping

from callserver.asterisk.ami.correlate import AmiResponse, Completed, Correlator
from callserver.asterisk.ami.errors import AmiConnectionLost, AmiProtocolError
from callserver.asterisk.ami.wire import (
    AmiMessage,
    AmiParser,
    FieldValue,
    encode_action,
    parse_banner,
)

READ_SIZE = 1 << 16
MessageSink = Callable[[AmiMessage, bool], None]


def describe(exc: BaseException) -> str:
    """A short reason for a log line: "Connection refused", not a traceback."""
    if isinstance(exc, socket.gaierror):
        return exc.strerror or str(exc)
    if isinstance(exc, OSError) and exc.errno:
        return os.strerror(exc.errno)
    return str(exc) or type(exc).__name__


class AmiLink:
    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        version: str,
        on_message: MessageSink,
        new_id: Callable[[], str],
    ) -> None:
        self.version = version
        self._writer = writer
        self._on_message = on_message
        self._new_id = new_id
        self._correlator = Correlator()
        self._pending: dict[str, asyncio.Future[AmiResponse]] = {}
        self.reading = asyncio.create_task(self._read(reader), name="ami-read")

    @classmethod
    async def open(
        cls, host: str, port: int, on_message: MessageSink, new_id: Callable[[], str]
    ) -> AmiLink:
        """Connect and read the banner; `on_message` then sees every message, with whether an
        action claimed it. Bound it with `asyncio.timeout`: a silent peer never sends one."""
        reader, writer = await asyncio.open_connection(host, port)
        try:
            version = await _read_banner(reader)
        except BaseException:
            await _abort(writer)
            raise
        return cls(reader, writer, version, on_message, new_id)

    async def request(
        self,
        name: str,
        fields: Mapping[str, FieldValue],
        action_id: str | None = None,
    ) -> AmiResponse:
        """Send one action and wait for its whole answer (a list action's events included).

        Fails at once with AmiConnectionLost if the link ends first; bound it with
        `asyncio.timeout`, since a half-open link answers nothing."""
        action_id = action_id or self._new_id()
        payload = encode_action(name, action_id, fields)
        if self.reading.done():
            raise AmiConnectionLost("link already closed")
        future: asyncio.Future[AmiResponse] = asyncio.get_running_loop().create_future()
        self._pending[action_id] = future
        self._correlator.expect(action_id)
        try:
            self._writer.write(payload)
            await self._writer.drain()
            return await future
        except OSError as exc:
            raise AmiConnectionLost(describe(exc)) from exc
        finally:
            del self._pending[action_id]
            self._correlator.forget(action_id)

    async def close(self) -> None:
        self.reading.cancel()
        await asyncio.gather(self.reading, return_exceptions=True)
        await _abort(self._writer)

    async def _read(self, reader: asyncio.StreamReader) -> None:
        parser = AmiParser()
        reason = "link closed by us"
        try:
            while data := await reader.read(READ_SIZE):
                for message in parser.feed(data):
                    self._route(message)
            reason = "closed by Asterisk"
        except (OSError, AmiProtocolError) as exc:
            reason = describe(exc)
        finally:
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(AmiConnectionLost(reason))
        raise AmiConnectionLost(reason)

    def _route(self, message: AmiMessage) -> None:
        outcome = self._correlator.feed(message)
        self._on_message(message, outcome != "unclaimed")
        if isinstance(outcome, Completed):
            future = self._pending.get(outcome.action_id)
            if future is not None and not future.done():
                future.set_result(outcome.answer)


async def _read_banner(reader: asyncio.StreamReader) -> str:
    try:
        line = await reader.readline()
    except ValueError:
        raise AmiProtocolError("no AMI banner, got an endless line") from None
    if not line:
        raise AmiConnectionLost("closed before the banner")
    return parse_banner(line)


async def _abort(writer: asyncio.StreamWriter) -> None:
    """Drop the socket without flushing: a half-open peer would never take the buffered bytes.

    The link is already being given up, so the reset that `wait_closed` may report adds nothing.
    """
    writer.transport.abort()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
