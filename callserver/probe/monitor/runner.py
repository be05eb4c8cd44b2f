"""The monitor's task inside `serve`: follow the live config's `monitor:` section, place each
test call when the schedule says, and keep the last verdict per number for /metrics and
/api/monitor (in memory: a restart calls every number again at once)."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import suppress
from datetime import datetime, timedelta

from aiohttp import web

from callserver.hostport import parse_hostport
from callserver.live import LiveConfig
from callserver.probe.account import SipAccount, local_side
from callserver.probe.monitor.schedule import Planned, due, next_wake, plan_of
from callserver.probe.observation import Observation, Timing
from callserver.probe.record import Lookup, find_test_call
from callserver.probe.run import run_test_call
from callserver.probe.verdict import Verdict, judge
from callserver.store.calls import Call
from callserver.web.keys import CLOCK, LIVE, STORE

log = logging.getLogger(__name__)
RECHECK = timedelta(seconds=5)
SIP_PORT = 5060


class MonitorRunner:
    """Runs the schedule; `results` maps each number to its last verdict."""

    def __init__(self, live: LiveConfig, lookup: Lookup, clock: Callable[[], datetime],
                 env: Mapping[str, str], timing: Timing | None = None) -> None:
        self.results: dict[str, Verdict] = {}
        self._live, self._lookup, self._clock = live, lookup, clock
        self._env, self._timing = env, timing or Timing()
        self.stopping = threading.Event()  # set: a call in progress hangs up at once

    async def run(self) -> None:
        while True:
            monitor = self._live.current.model.monitor
            plan = plan_of(monitor) if monitor is not None else ()
            now = self._clock()
            planned = due(now, plan, self.results) if monitor is not None else None
            if monitor is not None and planned is not None:
                verdict = await self._call(monitor.server, monitor.local_port, planned)
                self.results[planned.spec.number] = verdict
                log.log(logging.INFO if verdict.ok else logging.WARNING,
                        "test call to %s: %s", planned.spec.number,
                        "ok" if verdict.ok else "; ".join(verdict.problems))
                continue
            wake = next_wake(now, plan, self.results, RECHECK)
            await asyncio.sleep(max(0.0, (wake - now).total_seconds()))

    async def _call(self, server: str, local_port: int, planned: Planned) -> Verdict:
        try:
            where = parse_hostport(server, SIP_PORT)
            account = SipAccount.from_env(where, self._env)
            local = local_side(where, local_port)
            return await run_test_call(account, local, planned.spec, self._timing,
                                       self._lookup, self._clock, self.stopping)
        except Exception as exc:  # a monitor that dies quietly is worse than one that reports
            if not isinstance(exc, ValueError | OSError):
                log.exception("test call to %s failed", planned.spec.number)
            now = self._clock()
            seen = Observation(planned.spec.number, now, now, failure=str(exc))
            return judge(planned.spec, seen, None, self._timing)


MONITOR = web.AppKey("monitor", MonitorRunner)


async def monitor_ctx(app: web.Application) -> AsyncIterator[None]:
    """Cleanup context: the runner starts with the store and stops before it closes."""
    store = app[STORE]

    async def lookup(number: str, placed_at: datetime, ended_at: datetime) -> Call | None:
        return await store.read(find_test_call, number, placed_at, ended_at)

    runner = MonitorRunner(app[LIVE], lookup, app[CLOCK], os.environ)
    app[MONITOR] = runner
    task = asyncio.create_task(runner.run(), name="monitor")
    yield
    runner.stopping.set()
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task
