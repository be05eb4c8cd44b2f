"""AGI reply lines as values, and the framing that keeps replies in step with commands.

Asterisk answers a command with one line (`200 result=1 (value) endpos=5`) or with a `520-`
block ended by `520 End of proper usage.` (res_agi.c prints the usage with `%s`, so that closing
text can sit at the end of the last usage line). Around and inside those, `HANGUP` lines are
events, never replies, and GOSUB sends a provisional `100 result=0 Trying...` before its real
reply. Taking any of these for "the reply" shifts every later reply by one command, which is
the panoramisk bug this framing exists to prevent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from callserver.asterisk.agi.errors import AgiProtocolError

USAGE_END = "520 End of proper usage."
_LINE = re.compile(r"(\d{3})(?: (.*))?\Z", re.DOTALL)
_INT = re.compile(r"-?\d+\Z")
_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class AgiReply:
    """One reply. `result_text` is the raw `result=` token: GET DATA's digits keep leading zeros."""

    code: int
    result: int | None = None
    result_text: str = ""
    data: str | None = None
    extras: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    text: str = ""
    usage: str = ""

    @property
    def endpos(self) -> int | None:
        value = self.extras.get("endpos", "")
        return int(value) if _INT.match(value) else None

    @property
    def provisional(self) -> bool:
        return 100 <= self.code < 200


@dataclass(frozen=True)
class Hangup:
    """A `HANGUP` line: the channel hung up. Not the answer to anything."""


HANGUP = Hangup()


def parse_reply_line(line: str) -> AgiReply:
    """A single-line reply: `NNN result=R [(data)] [key=value...] [text]` or `NNN text`."""
    match = _LINE.match(line)
    if match is None:
        raise AgiProtocolError(f"not an AGI reply: {line[:80]!r}")
    code, rest = int(match[1]), match[2] or ""
    if not rest.startswith("result="):
        return AgiReply(code=code, text=rest.strip())
    token, _, tail = rest.removeprefix("result=").partition(" ")
    result = int(token) if _INT.match(token) else None
    if not tail:  # most replies: `200 result=N`, nothing more to take apart
        return AgiReply(code=code, result=result, result_text=token)
    data, tail = _split_data(tail.lstrip(" "))
    words = tail.split()
    extras = dict(word.split("=", 1) for word in words if "=" in word)
    return AgiReply(
        code=code,
        result=result,
        result_text=token,
        data=data,
        extras=MappingProxyType(extras),
        text=" ".join(word for word in words if "=" not in word),
    )


def _split_data(tail: str) -> tuple[str | None, str]:
    """Cut `(data)` off the front of `tail`; the data itself may hold parentheses.

    The closing parenthesis is the last one that only `key=value` words follow, so that a
    variable's value such as `"Alice (home)" <2233>` survives whole.
    """
    if not tail.startswith("("):
        return None, tail
    closes = [i for i, char in enumerate(tail) if char == ")"]
    for i in reversed(closes):
        after = tail[i + 1 :]
        if after == "" or (after[0] == " " and all("=" in word for word in after.split())):
            return tail[1:i], after
    if closes:
        return tail[1 : closes[0]], tail[closes[0] + 1 :]
    return tail[1:], ""


class ReplyFramer:
    """Turns the lines of one command's exchange into replies and hang-up events.

    Feed it every line in order: it returns the reply when one is complete, `HANGUP` for a
    hang-up line, and None while a multi-line 520 block is still open.
    """

    def __init__(self) -> None:
        self._head: str | None = None
        self._usage: list[str] = []

    def feed(self, line: str) -> AgiReply | Hangup | None:
        if line == "HANGUP":
            return HANGUP
        if self._head is None:
            if line.startswith("520-"):
                self._head = line.removeprefix("520-")
                return None
            return parse_reply_line(line)
        if not line.endswith(USAGE_END):
            self._usage.append(line.removeprefix("520-"))
            return None
        self._usage.append(line.removesuffix(USAGE_END))
        reply = AgiReply(code=520, text=self._head.strip(), usage="\n".join(self._usage).strip())
        self._head, self._usage = None, []
        return reply
