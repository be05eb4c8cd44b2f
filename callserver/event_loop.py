"""The event loop `serve` runs on: uvloop when it is installed, asyncio's own otherwise.

FIELD-NOTES: uvloop adds throughput but is an optional extra, `callserver[fast]` (with
orjson), not a requirement; the loop in use is named in the start-up log.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

try:
    import uvloop
except ImportError:
    uvloop = None  # type: ignore[assignment]

NAME = "asyncio" if uvloop is None else "uvloop"
_FACTORY: Callable[[], asyncio.AbstractEventLoop] | None = (
    None if uvloop is None else uvloop.new_event_loop)


def new_loop() -> asyncio.AbstractEventLoop:
    """A loop of that kind, for a benchmark's baseline to run on what callserver runs on."""
    return (_FACTORY or asyncio.new_event_loop)()


def run(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` on the loop named by NAME."""
    with asyncio.Runner(loop_factory=_FACTORY) as runner:
        return runner.run(main)
