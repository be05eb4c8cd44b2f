"""One FastAGI connection: send a command, get exactly its reply, know when the channel is gone.

Hang-ups are tracked from what Asterisk says, never guessed from a result code: a `HANGUP` line
(before, inside or after a reply, once or twice) marks the channel hung up, `511` marks it dead,
and EOF, a protocol error or a command interrupted half-way (cancelled while its reply was
still due) marks the session gone. Only then do commands fail without being sent, because a
reply left unread would be taken for the next command's.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum

from callserver.asterisk.agi.command_line import check_sendable, command_line
from callserver.asterisk.agi.env import AgiEnv
from callserver.asterisk.agi.errors import AgiCommandError, AgiProtocolError, ChannelGone
from callserver.asterisk.agi.lines import read_line
from callserver.asterisk.agi.outcomes import (
    DigitInput,
    Playback,
    digit_input,
    exit_code,
    playback,
    variable_value,
)
from callserver.asterisk.agi.reply import AgiReply, Hangup, ReplyFramer


class ChannelState(enum.IntEnum):
    """Only ever moves forward."""

    LIVE = 0
    HUNG_UP = 1  # HANGUP seen: Asterisk still answers, but only dead-safe commands run
    DEAD = 2  # a command was refused with 511
    GONE = 3  # the connection ended or can no longer be trusted; nothing more is sent


class AgiSession:
    """The command side of one call; commands are serialised, one exchange at a time."""

    def __init__(
        self, env: AgiEnv, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.env = env
        self._reader = reader
        self._writer = writer
        self._lock = asyncio.Lock()
        self._state = ChannelState.LIVE
        self._gone_reason = ""

    @property
    def state(self) -> ChannelState:
        return self._state

    @property
    def hung_up(self) -> bool:
        return self._state >= ChannelState.HUNG_UP

    @property
    def gone(self) -> bool:
        return self._state is ChannelState.GONE

    async def command(self, text: str) -> AgiReply:
        """Send one raw command line and return its reply.

        Raises ChannelGone (gone, or 511), AgiCommandError (510, 520 and other 5xx refusals)
        or AgiProtocolError (the peer is not speaking AGI; the session is then gone).
        """
        check_sendable(text)
        async with self._lock:
            reply = await self._exchange(text)
        if reply.code == 511:
            self._advance(ChannelState.DEAD)
            raise ChannelGone(f"channel dead: {text!r} -> 511 {reply.text}")
        if reply.code >= 500:
            raise AgiCommandError(text, reply.code, reply.text, reply.usage)
        return reply

    async def answer(self) -> bool:
        return (await self.command("ANSWER")).result == 0

    async def stream_file(self, path: str, escape_digits: str = "") -> Playback:
        return playback(await self.command(command_line("STREAM FILE", path, escape_digits)))

    async def get_data(self, path: str, timeout_ms: int, max_digits: int) -> DigitInput:
        line = command_line("GET DATA", path, timeout_ms, max_digits)
        return digit_input(await self.command(line))

    async def exec(self, app: str, args: str = "") -> int:
        """Run a dialplan application; its return value, which -1 does not make a hang-up."""
        return exit_code(await self.command(command_line("EXEC", app, args)))

    async def get_variable(self, name: str) -> str | None:
        return variable_value(await self.command(command_line("GET VARIABLE", name)))

    async def channel_status(self) -> int:
        """The channel's state (6 is up); a hung-up channel answers 511, raised as ChannelGone."""
        return exit_code(await self.command("CHANNEL STATUS"))

    async def set_variable(self, name: str, value: str) -> None:
        await self.command(command_line("SET VARIABLE", name, value))

    async def verbose(self, message: str, level: int = 1) -> None:
        await self.command(command_line("VERBOSE", message, level))

    async def hangup(self) -> None:
        """Hang up; a no-op once Asterisk has said the channel is down, so teardown can repeat.

        A caller who hangs up as we do makes Asterisk answer `HANGUP` then 511 (or close the
        connection): the channel is down, which is all this asked, so that is no error.
        """
        if self.hung_up:
            return
        with contextlib.suppress(ChannelGone):
            await self.command("HANGUP")
        self._advance(ChannelState.HUNG_UP)

    async def _exchange(self, text: str) -> AgiReply:
        if self.gone:
            raise ChannelGone(self._gone_reason)
        try:
            self._writer.write(text.encode() + b"\n")
            await self._writer.drain()
            return await self._read_reply()
        except ChannelGone:
            raise
        except ConnectionError as exc:
            raise self._lose(f"connection lost during {text!r}: {exc}") from exc
        except AgiProtocolError as exc:
            self._lose(f"protocol error during {text!r}: {exc}")
            raise
        except BaseException:
            self._lose(f"interrupted while {text!r} awaited its reply")
            raise

    async def _read_reply(self) -> AgiReply:
        framer = ReplyFramer()
        while True:
            line = await read_line(self._reader)
            if line is None:
                raise self._lose("connection closed by Asterisk")
            frame = framer.feed(line)
            if isinstance(frame, Hangup):
                self._advance(ChannelState.HUNG_UP)
            elif frame is not None and not frame.provisional:
                return frame

    def _advance(self, state: ChannelState) -> None:
        self._state = max(self._state, state)

    def _lose(self, reason: str) -> ChannelGone:
        if not self.gone:
            self._gone_reason = reason
            self._advance(ChannelState.GONE)
            self._writer.close()
        return ChannelGone(self._gone_reason)
