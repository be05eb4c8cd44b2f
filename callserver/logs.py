"""One log line per event, carrying the call id or session id of the work in hand.

The ids live in context variables, so every line logged while a call or swap request is being
handled names it without threading ids through every function.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

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


class _OneLineFormatter(logging.Formatter):
    """Tracebacks folded into the same line, so one event is always one line."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\n", " \\n ")


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.addFilter(_ContextFilter())
    handler.setFormatter(_OneLineFormatter(
        "%(asctime)s %(levelname)s %(name)s%(ids)s: %(message)s", "%Y-%m-%dT%H:%M:%S%z"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    # Two lines per store hop at DEBUG, which would bury the swap endpoint's decision lines.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
