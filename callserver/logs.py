"""One log line per event, carrying the call id or session id of the work in hand.

The ids live in context variables, so every line logged while a call or swap request is being
handled names it without threading ids through every function.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

from aiohttp.http_exceptions import HttpProcessingError

call_id: ContextVar[str | None] = ContextVar("call_id", default=None)
session_id: ContextVar[str | None] = ContextVar("session_id", default=None)


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        ids = []
        if (cid := call_id.get()) is not None:
            ids.append(f"call={cid}")
        if (sid := session_id.get()) is not None:
            ids.append(f"session={sid}")
        record.ids = (" " + " ".join(ids)) if ids else ""
        return True


class _MalformedRequests(logging.Filter):
    """aiohttp logs a request its parser refused (a 4xx it answered itself: a raw non-ASCII
    byte in a URL, a bad header) at ERROR with a traceback. On a public listener scanners send
    those all day; one WARNING line that says what was refused is all they are worth."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError) and 400 <= error.code < 500:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg = f"{record.getMessage()}: refused with {error.code}: {error.message}"
            record.args, record.exc_info, record.exc_text = None, None, None
        return True


class _OneLineFormatter(logging.Formatter):
    """Tracebacks folded into the same line, so one event is always one line."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\n", " \\n ")


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.addFilter(_ContextFilter())
    handler.addFilter(_MalformedRequests())
    handler.setFormatter(_OneLineFormatter(
        "%(asctime)s %(levelname)s %(name)s%(ids)s: %(message)s", "%Y-%m-%dT%H:%M:%S%z"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    # Two lines per store hop at DEBUG, which would bury the swap endpoint's decision lines.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
