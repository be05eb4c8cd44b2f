"""Asterisk Manager Interface: a client that stays logged in and reports call events in order."""

from callserver.asterisk.ami.backoff import Backoff
from callserver.asterisk.ami.client import AmiClient
from callserver.asterisk.ami.correlate import AmiResponse
from callserver.asterisk.ami.delivery import EventHandler, ReconnectHandler
from callserver.asterisk.ami.errors import (
    AmiConnectionLost,
    AmiError,
    AmiLoginFailed,
    AmiNotConnected,
    AmiProtocolError,
)
from callserver.asterisk.ami.reconnect import AmiState
from callserver.asterisk.ami.wire import AmiMessage

__all__ = [
    "AmiClient",
    "AmiConnectionLost",
    "AmiError",
    "AmiLoginFailed",
    "AmiMessage",
    "AmiNotConnected",
    "AmiProtocolError",
    "AmiResponse",
    "AmiState",
    "Backoff",
    "EventHandler",
    "ReconnectHandler",
]
