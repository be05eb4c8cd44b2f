"""The FastAGI server: accept, read the environment, route by script name, run the handler.

Ours, on asyncio streams, because panoramisk 1.4's is unusable (FIELD-NOTES): its reader spins
forever on a zero-byte connect-and-close, an inline `HANGUP` or a multi-line `520` shifts every
later reply by one command, routes with a query string never match, and its handler logs and
swallows route exceptions. Here a connection that sends nothing, half an environment or garbage
is closed quietly; a query string is split off before routing; a handler's exception is logged
once with its traceback (a peer that stops speaking AGI mid-call, in one line), counted and
passed to `on_error`; and stop() lets running calls finish for a grace period before
cancelling them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType

from callserver.asterisk.agi.env import AgiEnv, env_from_items, parse_env_line
from callserver.asterisk.agi.errors import AgiError, AgiProtocolError, ChannelGone
from callserver.asterisk.agi.lines import LINE_LIMIT, read_line
from callserver.asterisk.agi.session import AgiSession

Handler = Callable[[AgiSession], Awaitable[None]]
ErrorHook = Callable[[AgiEnv, Exception], None]

log = logging.getLogger(__name__)

# Asterisk sends about 25 lines; far more than that is not Asterisk.
MAX_ENV_LINES = 512


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
        task = asyncio.get_running_loop().create_task(self._serve(reader, writer))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        try:
            env = await self._read_env(reader, peer)
            if env is None:
                return
            session = AgiSession(env, reader, writer)
            handler = self._routes.get(env.script)
            if handler is None:
                await self._refuse(session)
            else:
                await self._run(handler, session)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _read_env(self, reader: asyncio.StreamReader, peer: object) -> AgiEnv | None:
        """The environment, or None (logged) for a health check, a stray client or a silence."""
        items: list[tuple[str, str]] = []
        try:
            async with asyncio.timeout(self._env_timeout):
                while (line := await read_line(reader)) != "":
                    if line is None:
                        log.debug("FastAGI %s closed after %d env lines", peer, len(items))
                        return None
                    if len(items) >= MAX_ENV_LINES:
                        raise AgiProtocolError(f"more than {MAX_ENV_LINES} environment lines")
                    items.append(parse_env_line(line))
        except TimeoutError:
            log.info("FastAGI %s sent no environment within %ss", peer, self._env_timeout)
            return None
        except ConnectionError as exc:
            log.info("FastAGI %s dropped before its environment ended: %s", peer, exc)
            return None
        except AgiProtocolError as exc:
            log.warning("FastAGI %s is not speaking AGI: %s", peer, exc)
            return None
        return env_from_items(items)

    async def _refuse(self, session: AgiSession) -> None:
        """Tell the Asterisk console why nothing happens, then close."""
        env = session.env
        log.warning("FastAGI: no handler for script %r (%s)", env.script, env.uniqueid)
        message = f"callserver: no FastAGI handler for script {env.script!r}"
        try:
            async with asyncio.timeout(self._env_timeout):
                await session.verbose(message, 1)
        except (AgiError, TimeoutError) as exc:
            log.info("FastAGI: %s left before the refusal was answered: %s", env.uniqueid, exc)

    async def _run(self, handler: Handler, session: AgiSession) -> None:
        env = session.env
        try:
            await handler(session)
        except ChannelGone as exc:
            log.info("FastAGI %s %s ended: %s", env.script, env.uniqueid, exc)
        except AgiProtocolError as exc:
            # The peer's fault, not ours: where our code stood would say nothing more.
            log.error("FastAGI %s %s: the peer stopped speaking AGI mid-call, session "
                      "closed: %s", env.script, env.uniqueid, exc)
            self._failed(env, exc)
        except Exception as exc:
            log.exception("FastAGI handler for %r failed on %s", env.script, env.uniqueid)
            self._failed(env, exc)

    def _failed(self, env: AgiEnv, exc: Exception) -> None:
        self._handler_errors += 1
        if self._on_error is not None:
            self._on_error(env, exc)
