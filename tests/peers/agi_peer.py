"""A fake Asterisk for FastAGI tests: dials the server over real TCP and talks as res_agi.c does.

It sends the environment block (`agi_network: yes`, `agi_network_script`, then setup_env's
lines and one empty line), then answers each command it receives with the next scripted
`Answer`, byte for byte, and records every command. An answer may carry `HANGUP` lines before
or after the reply, a multi-line 520, or end the connection mid-reply (`Answer(..., close=True)`,
or `EOF`). When the script runs out, the next command is recorded in `unanswered` and the peer
hangs up the connection, as an Asterisk whose channel vanished would.

`exchange_raw` sends arbitrary bytes instead (health checks, garbage), and `run_call` serves one
peer's call with a handler on a fresh AgiServer, re-raising what the handler raised.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from callserver.asterisk.agi import AgiEnv, AgiServer, Handler

HOST = "127.0.0.1"

# Replies as res_agi.c prints them.
OK = b"200 result=0\n"
SUCCESS = b"200 result=1\n"
PLAYED = b"200 result=0 endpos=1234\n"
TIMEOUT = b"200 result=1 (timeout)\n"
FAILED = b"200 result=-1\n"
INVALID = b"510 Invalid or unknown command\n"
DEAD = b"511 Command Not Permitted on a dead channel or intercept routine\n"
USAGE = (
    b"520-Invalid command syntax.  Proper usage follows:\n"
    b" Usage: GET DATA <file to be streamed> [timeout] [max digits]\n"
    b"\tStream the given file, and receive DTMF data.\n"
    b"520 End of proper usage.\n"
)
USAGE_UNAVAILABLE = b"520 Invalid command syntax.  Proper usage not available.\n"
HANGUP = b"HANGUP\n"


def value(text: str) -> bytes:
    """GET VARIABLE's reply for a variable that is set."""
    return f"200 result=1 ({text})\n".encode()


@dataclass(frozen=True)
class Answer:
    """What the peer does on one command: send `data` (may be empty), then close if `close`."""

    data: bytes
    close: bool = False


EOF = Answer(b"", close=True)


def env_block(
    port: int,
    script: str = "inbound",
    env: Mapping[str, str | None] | None = None,
    args: Sequence[str] = (),
) -> bytes:
    """Asterisk's environment, in its order. `env` overrides or adds names given without the
    `agi_` prefix (`{"callerid": "+1312..."}`); None drops a line, "" sends it empty."""
    fields: dict[str, str | None] = {
        "network": "yes",
        "network_script": script,
        "request": f"agi://{HOST}:{port}/{script}",
        "channel": "PJSIP/carrier-00000001",
        "language": "en",
        "type": "PJSIP",
        "uniqueid": "1760000000.1",
        "version": "20.5.0",
        "callerid": "+13125550123",
        "calleridname": "unknown",
        "callingpres": "0",
        "callingani2": "0",
        "callington": "0",
        "callingtns": "0",
        "dnid": "+18005550101",
        "rdnis": "unknown",
        "context": "from-carrier",
        "extension": "+18005550101",
        "priority": "1",
        "enhanced": "0.0",
        "accountcode": "",
        "threadid": "140245210003200",
    }
    fields.update(env or {})
    fields.update({f"arg_{n}": arg for n, arg in enumerate(args, start=1)})
    lines = [f"agi_{name}: {text}\n" for name, text in fields.items() if text is not None]
    return "".join([*lines, "\n"]).encode()


class AgiPeer:
    """One call from a scripted Asterisk. `await peer.run()` returns when either side closes."""

    def __init__(
        self,
        port: int,
        answers: Iterable[bytes | Answer] = (),
        *,
        script: str = "inbound",
        env: Mapping[str, str | None] | None = None,
        args: Sequence[str] = (),
        after_env: bytes = b"",
        chunk_size: int | None = None,
    ) -> None:
        self.port = port
        self.commands: list[str] = []
        self.unanswered: list[str] = []
        self.closed_by_server = False
        self._answers = deque(a if isinstance(a, Answer) else Answer(a) for a in answers)
        self._greeting = env_block(port, script, env, args) + after_env
        self._chunk_size = chunk_size

    async def run(self) -> AgiPeer:
        reader, writer = await asyncio.open_connection(HOST, self.port)
        try:
            await self._send(writer, self._greeting)
            await self._converse(reader, writer)
        except ConnectionError:  # the server closed while we were still writing or reading
            self.closed_by_server = True
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
        return self

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            line = await reader.readline()
            if not line.endswith(b"\n"):
                self.closed_by_server = True
                return
            command = line.decode().removesuffix("\n")
            self.commands.append(command)
            if not self._answers:
                self.unanswered.append(command)
                return
            answer = self._answers.popleft()
            await self._send(writer, answer.data)
            if answer.close:
                return

    async def _send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        """Write `data`, in pieces of `chunk_size` bytes if set, yielding between pieces."""
        step = self._chunk_size or max(len(data), 1)
        for start in range(0, len(data), step):
            writer.write(data[start : start + step])
            await writer.drain()
            await asyncio.sleep(0)


async def exchange_raw(port: int, payload: bytes, *, half_close: bool = True) -> bytes:
    """Send arbitrary bytes (health checks, garbage, half an environment) and return all the
    server sent back before it closed or reset the connection. `half_close=False` keeps our
    sending side open and silent."""
    reader, writer = await asyncio.open_connection(HOST, port)
    received = b""
    try:
        writer.write(payload)
        await writer.drain()
        if half_close:
            writer.write_eof()
        while chunk := await reader.read(65536):
            received += chunk
    except ConnectionError:  # a server that closes on unread input resets the connection
        pass
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    return received


async def run_call(
    handler: Handler,
    answers: Iterable[bytes | Answer] = (),
    **peer_options: Any,
) -> AgiPeer:
    """Serve one call from an `AgiPeer` with `handler` on a fresh server on port 0.

    The handler is routed as `inbound`, so a `script="inbound?..."` peer option still reaches it.

    An exception the handler raised (other than ChannelGone) is re-raised here, so assertions
    made inside a handler fail the test that ran it.
    """
    errors: list[Exception] = []

    def keep(_env: AgiEnv, exc: Exception) -> None:
        errors.append(exc)

    async with AgiServer({"inbound": handler}, port=0, on_error=keep) as server:
        peer = await AgiPeer(server.port, answers, **peer_options).run()
    if errors:
        raise errors[0]
    return peer
