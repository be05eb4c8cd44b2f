"""FastAGI edge: our own server and session on asyncio streams (see server.py for why)."""

from callserver.asterisk.agi.command_line import command_line, quote
from callserver.asterisk.agi.connection import ErrorHook, Handler
from callserver.asterisk.agi.env import AgiEnv
from callserver.asterisk.agi.errors import AgiCommandError, AgiError, AgiProtocolError, ChannelGone
from callserver.asterisk.agi.outcomes import DigitInput, Playback
from callserver.asterisk.agi.reply import AgiReply
from callserver.asterisk.agi.server import AgiServer
from callserver.asterisk.agi.session import AgiSession, ChannelState

__all__ = [
    "AgiCommandError",
    "AgiEnv",
    "AgiError",
    "AgiProtocolError",
    "AgiReply",
    "AgiServer",
    "AgiSession",
    "ChannelGone",
    "ChannelState",
    "DigitInput",
    "ErrorHook",
    "Handler",
    "Playback",
    "command_line",
    "quote",
]
