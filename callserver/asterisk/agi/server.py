"""The FastAGI server: listen, hand each connection to connection.py (which reads the
environment, routes by script name and runs the handler), count handler failures, stop.

Ours, on asyncio streams, because panoramisk 1.4's is unusable (FIELD-NOTES): its reader spins
forever on a zero-byte connect-and-close, an inline `HANGUP` or a multi-line `520` shifts every
later reply by one command, routes with a query string never match, and its handler logs and
swallows route exceptions. Here each connection is a task we own (connection.py says how one
is served), a handler's exception is counted and passed to `on_error`, and stop() lets running
calls finish for a grace period before cancelling them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from types import TracebackType

from callserver.asterisk.agi.connection import ErrorHook, Handler, serve
from callserver.asterisk.agi.env import AgiEnv
from callserver.asterisk.agi.lines import LINE_LIMIT

log = logging.getLogger(__name__)


class AgiServer:
    """Routes `AGI(agi://host:port/SCRIPT?query)` calls to `routes[SCRIPT](session)`."""

    def __init__(
        self,
        routes: Mapping[str, Handler],
        *,
        host: str = "127.0.0.1",
        port: int = 4573,
        env_timeout: float = 5.0,
        grace: float = 10.0,
        on_error: ErrorHook | None = None,
    ) -> None:
        self._routes = dict(routes)
        self._host = host
        self._port = port
        self._env_timeout = env_timeout
        self._grace = grace
        self._on_error = on_error
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._handler_errors = 0

    @property
    def port(self) -> int:
        """The bound port (the real one when constructed with port 0)."""
        if self._server is None:
            raise RuntimeError("AgiServer is not started")
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def serving(self) -> bool:
        return self._server is not None and self._server.is_serving()

    @property
    def active_sessions(self) -> int:
        return len(self._tasks)

    @property
    def handler_errors(self) -> int:
        """Handlers that ended with an exception other than ChannelGone, since start."""
        return self._handler_errors

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._accept, self._host, self._port, limit=LINE_LIMIT
        )
        log.info("FastAGI listening on %s:%d", self._host, self.port)

    async def stop(self, grace: float | None = None) -> None:
        """Stop accepting, let running calls end within `grace` seconds, then cancel the rest."""
        if self._server is None:
            return
        self._server.close()
        running = set(self._tasks)
        if running:
            _, late = await asyncio.wait(running, timeout=self._grace if grace is None else grace)
            for task in late:
                task.cancel()
            if late:
                log.warning("FastAGI stop: cancelled %d call(s) still running", len(late))
                await asyncio.wait(late)
        await self._server.wait_closed()
        self._server = None

    async def __aenter__(self) -> AgiServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Hand the connection to a task we own, so stop() can wait for it and cancel it."""
        task = asyncio.get_running_loop().create_task(serve(
            reader, writer, routes=self._routes, env_timeout=self._env_timeout,
            failed=self._failed))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _failed(self, env: AgiEnv, exc: Exception) -> None:
        self._handler_errors += 1
        if self._on_error is not None:
            self._on_error(env, exc)
