"""`callserver serve`: load the config, start every side, run until SIGINT or SIGTERM.

SIGHUP reloads the config file; a bad file keeps the running config and logs why. The number
inventory in the database admits each loaded file (see `callserver.numbers.gate`).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sqlite3

from aiohttp import web

from callserver import event_loop, jsonwire, logs
from callserver.app import Listen, build_app
from callserver.config.errors import ConfigError
from callserver.config.loader import load_config
from callserver.live import AdmitUnavailable, LiveConfig
from callserver.numbers.gate import InventoryGate
from callserver.settings import Secrets, trusted_proxies_from_env

log = logging.getLogger("callserver")


def serve(args: argparse.Namespace) -> int:
    logs.configure(args.log_level)
    try:
        secrets = Secrets.from_env()
        listen = Listen(http=args.http, agi=args.agi, ami=args.ami, db=args.db,
                        proxies=trusted_proxies_from_env())
        # The inventory syncs with the file before anything serves it, and at every reload.
        live = LiveConfig(args.config, load_config(args.config), admit=InventoryGate(args.db))
    except ConfigError as exc:
        for issue in exc.issues:
            log.error("%s", issue)
        log.error("not starting: %d errors in %s", len(exc.issues), args.config)
        return 2
    except (ValueError, sqlite3.Error, AdmitUnavailable) as exc:
        log.error("not starting: %s", exc)
        return 2
    log.info("event loop %s, JSON %s", event_loop.NAME, jsonwire.BACKEND)
    event_loop.run(run(live, secrets, listen))
    return 0


async def run(live: LiveConfig, secrets: Secrets, listen: Listen,
              stop: asyncio.Event | None = None) -> None:
    """Serve until `stop` is set or a terminating signal arrives."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(_reload(live)))
    runner = web.AppRunner(build_app(live, secrets, listen), access_log=None,
                           handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, listen.http.host, listen.http.port)
        await site.start()
        log.info("HTTP listening on %s; config %s", listen.http, live.current.digest[:12])
        await stop.wait()
        log.info("stopping")
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.remove_signal_handler(sig)
        await runner.cleanup()


async def _reload(live: LiveConfig) -> None:
    await asyncio.to_thread(live.reload)
