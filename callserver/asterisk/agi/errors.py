"""Exceptions of the FastAGI edge, split by what the caller can still do about them."""

from __future__ import annotations


class AgiError(Exception):
    """Base of every failure raised by the FastAGI edge."""


class AgiProtocolError(AgiError):
    """The peer sent something that is not FastAGI.

    After this nothing on the stream can be matched to a command with certainty, so a session
    that meets it is closed rather than risk answering one command with another's reply.
    """


class ChannelGone(AgiError):
    """The call can no longer be driven: connection closed, channel dead (511) or desynchronised."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AgiCommandError(AgiError):
    """Asterisk refused a command: 510 (unknown command) or 520 (bad syntax, with usage)."""

    def __init__(self, command: str, code: int, text: str, usage: str = "") -> None:
        detail = f"{command!r} -> {code} {text}"
        super().__init__(f"{detail}\n{usage}" if usage else detail)
        self.command = command
        self.code = code
        self.text = text
        self.usage = usage
