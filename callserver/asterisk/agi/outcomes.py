"""What the replies to playback, digit and variable commands mean, as plain values.

`result=-1` is reported as `failed`, never as "hung up": Asterisk gives it for a missing sound
file on a live channel too (FIELD-NOTES). Whether the caller is gone is the session's business
(HANGUP, 511, EOF), not a guess from a result code.
"""

from __future__ import annotations

from dataclasses import dataclass

from callserver.asterisk.agi.errors import AgiProtocolError
from callserver.asterisk.agi.reply import AgiReply


@dataclass(frozen=True)
class Playback:
    """STREAM FILE: the escape digit pressed (None if it played through) and where it stopped."""

    digit: str | None
    endpos: int | None
    failed: bool


@dataclass(frozen=True)
class DigitInput:
    """GET DATA: the digits entered, and whether input ended by timeout rather than completion."""

    digits: str
    timed_out: bool
    failed: bool


def playback(reply: AgiReply) -> Playback:
    """`200 result=0 endpos=N`, `200 result=<ASCII code of digit> endpos=N`, `200 result=-1 ...`."""
    code = _result(reply)
    if code >= 128:
        raise AgiProtocolError(f"STREAM FILE result is not a digit: {code}")
    digit = chr(code) if code > 0 else None
    return Playback(digit=digit, endpos=reply.endpos, failed=code < 0)


def digit_input(reply: AgiReply) -> DigitInput:
    """`200 result=<digits>`, `200 result=<digits> (timeout)` or `200 result=-1`."""
    if reply.result_text == "-1":
        return DigitInput(digits="", timed_out=False, failed=True)
    return DigitInput(digits=reply.result_text, timed_out=reply.data == "timeout", failed=False)


def variable_value(reply: AgiReply) -> str | None:
    """`200 result=1 (value)` for a set variable, `200 result=0` for an unset one."""
    if _result(reply) != 1:
        return None
    return reply.data if reply.data is not None else ""


def exit_code(reply: AgiReply) -> int:
    """EXEC: the application's return value (-1 does not prove a hang-up)."""
    return _result(reply)


def _result(reply: AgiReply) -> int:
    if reply.result is None:
        raise AgiProtocolError(f"reply {reply.code} carries no integer result")
    return reply.result
