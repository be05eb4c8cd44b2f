"""One FastAGI connection, from its environment to its handler's end: read the environment,
route by script name (its query string split off by env.py), run the handler, and close.

Kept apart from the listener (server.py) because this is where panoramisk 1.4 went wrong
(FIELD-NOTES): a connection that sends nothing, half an environment or garbage is closed
quietly; a script with no handler is refused with a line on the Asterisk console; a handler's
exception is logged once with its traceback (a peer that stops speaking AGI mid-call, in one
line) and passed to `failed`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping

from callserver.asterisk.agi.env import AgiEnv, env_from_items, parse_env_line
from callserver.asterisk.agi.errors import AgiError, AgiProtocolError, ChannelGone
from callserver.asterisk.agi.lines import read_line
from callserver.asterisk.agi.session import AgiSession

Handler = Callable[[AgiSession], Awaitable[None]]
ErrorHook = Callable[[AgiEnv, Exception], None]

log = logging.getLogger(__name__)

# Asterisk sends about 25 lines; far more than that is not Asterisk.
MAX_ENV_LINES = 512


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *,
                routes: Mapping[str, Handler], env_timeout: float, failed: ErrorHook) -> None:
    """Serve the connection to its end; `failed` hears of a handler's exception."""
    peer = writer.get_extra_info("peername")
    try:
        env = await _read_env(reader, peer, env_timeout)
        if env is None:
            return
        session = AgiSession(env, reader, writer)
        handler = routes.get(env.script)
        if handler is None:
            await _refuse(session, env_timeout)
        else:
            await _run(handler, session, failed)
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


async def _read_env(reader: asyncio.StreamReader, peer: object,
                    env_timeout: float) -> AgiEnv | None:
    """The environment, or None (logged) for a health check, a stray client or a silence."""
    items: list[tuple[str, str]] = []
    try:
        async with asyncio.timeout(env_timeout):
            while (line := await read_line(reader)) != "":
                if line is None:
                    log.debug("FastAGI %s closed after %d env lines", peer, len(items))
                    return None
                if len(items) >= MAX_ENV_LINES:
                    raise AgiProtocolError(f"more than {MAX_ENV_LINES} environment lines")
                items.append(parse_env_line(line))
    except TimeoutError:
        log.info("FastAGI %s sent no environment within %ss", peer, env_timeout)
        return None
    except ConnectionError as exc:
        log.info("FastAGI %s dropped before its environment ended: %s", peer, exc)
        return None
    except AgiProtocolError as exc:
        log.warning("FastAGI %s is not speaking AGI: %s", peer, exc)
        return None
    return env_from_items(items)


async def _refuse(session: AgiSession, env_timeout: float) -> None:
    """Tell the Asterisk console why nothing happens, then close."""
    env = session.env
    log.warning("FastAGI: no handler for script %r (%s)", env.script, env.uniqueid)
    message = f"callserver: no FastAGI handler for script {env.script!r}"
    try:
        async with asyncio.timeout(env_timeout):
            await session.verbose(message, 1)
    except (AgiError, TimeoutError) as exc:
        log.info("FastAGI: %s left before the refusal was answered: %s", env.uniqueid, exc)


async def _run(handler: Handler, session: AgiSession, failed: ErrorHook) -> None:
    env = session.env
    try:
        await handler(session)
    except ChannelGone as exc:
        log.info("FastAGI %s %s ended: %s", env.script, env.uniqueid, exc)
    except AgiProtocolError as exc:
        # The peer's fault, not ours: where our code stood would say nothing more.
        log.error("FastAGI %s %s: the peer stopped speaking AGI mid-call, session "
                  "closed: %s", env.script, env.uniqueid, exc)
        failed(env, exc)
    except Exception as exc:
        log.exception("FastAGI handler for %r failed on %s", env.script, env.uniqueid)
        failed(env, exc)
