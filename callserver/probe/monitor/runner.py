"""The monitor's task inside `serve`: follow the live config's `monitor:` section and place
each test call when the schedule says. The last verdict per number lives in the store, shared
by every node: before a call the node claims the number's turn there (one write that only a
due, unclaimed number passes), so of several nodes one calls, and a restart waits out the
interval of the stored result; after the call it stores the verdict, ending its claim."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import suppress
from dataclasses import astuple
from datetime import datetime, timedelta

from aiohttp import web

from callserver.cluster.heartbeat import NODE
from callserver.hostport import parse_hostport
from callserver.live import LiveConfig
from callserver.probe.account import SipAccount, local_side
from callserver.probe.monitor.schedule import Planned, due, next_wake, plan_of, unclaimed
from callserver.probe.monitor.stored import Shared, read_shared
from callserver.probe.observation import Observation, Timing
from callserver.probe.record import find_test_call
from callserver.probe.run import run_test_call
from callserver.probe.verdict import Verdict, judge, verdict_json
from callserver.store import monitor_runs
from callserver.store.call_values import Call
from callserver.store.open import AnyStore
from callserver.web.keys import CLOCK, LIVE, STORE

log = logging.getLogger(__name__)
RECHECK = timedelta(seconds=5)
SIP_PORT = 5060


class MonitorRunner:
    """Runs the schedule as `node`; `results` holds the stored verdicts as last read."""

    def __init__(self, live: LiveConfig, store: AnyStore, clock: Callable[[], datetime],
                 env: Mapping[str, str], node: str, timing: Timing | None = None) -> None:
        self.results: Mapping[str, Verdict] = {}
        self._live, self._store, self._clock = live, store, clock
        self._env, self._node, self._timing = env, node, timing or Timing()
        # a claim outlasts any call (each stage is bounded by its timing) with room to spare
        self._hold = timedelta(seconds=2 * sum(astuple(self._timing)))
        self.stopping = threading.Event()  # set: a call in progress hangs up at once

    async def run(self) -> None:
        while True:
            try:
                wake = await self._turn()
            except Exception:  # a store outage must not end the monitor: the next turn retries
                log.exception("monitor turn failed")
                wake = self._clock() + RECHECK
            if wake is not None:
                await asyncio.sleep(max(0.0, (wake - self._clock()).total_seconds()))

    async def _turn(self) -> datetime | None:
        """Place one due call (None: look again at once), or say when to look again."""
        monitor = self._live.current.model.monitor
        now = self._clock()
        if monitor is None:
            return now + RECHECK
        shared = await read_shared(self._store, now)
        self.results = shared.results
        plan = unclaimed(plan_of(monitor), shared.claimed)
        planned = due(now, plan, shared.results)
        if planned is None:
            return min([next_wake(now, plan, shared.results, RECHECK),
                        *shared.claimed.values()])
        if await self._store.write(monitor_runs.claim, planned.spec.number, self._node, now,
                                   now + self._hold,
                                   now - timedelta(seconds=planned.interval_s),
                                   now - timedelta(seconds=planned.retry_s)):
            await self._place(monitor.server, monitor.local_port, planned)
        return None

    async def _place(self, server: str, local_port: int, planned: Planned) -> None:
        verdict = await self._call(server, local_port, planned)
        number = planned.spec.number
        if not await self._store.write(monitor_runs.finish, number, self._node,
                                       verdict_json(verdict), verdict.ok,
                                       verdict.observation.ended_at):
            log.warning("test call to %s outlasted its claim: another node's result stands",
                        number)
        self.results = {**self.results, number: verdict}
        log.log(logging.INFO if verdict.ok else logging.WARNING, "test call to %s: %s",
                number, "ok" if verdict.ok else "; ".join(verdict.problems))

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

    async def _lookup(self, number: str, placed_at: datetime, ended_at: datetime) -> Call | None:
        return await self._store.read(find_test_call, number, placed_at, ended_at)

    async def release(self) -> None:
        """End this node's claims (left by a crash, or by a call cut short by stopping)."""
        try:
            await self._store.write(monitor_runs.release, self._node)
        except Exception as error:  # the claims then end at their time
            log.warning("monitor claims of node %s not released: %s", self._node, error)


MONITOR = web.AppKey("monitor", MonitorRunner)


async def monitor_ctx(app: web.Application) -> AsyncIterator[None]:
    """Cleanup context: the runner starts with the store (and the node's name, once joined)
    and stops before it closes."""
    runner = MonitorRunner(app[LIVE], app[STORE], app[CLOCK], os.environ,
                           app.get(NODE) or "local")
    app[MONITOR] = runner
    await runner.release()
    task = asyncio.create_task(runner.run(), name="monitor")
    yield
    runner.stopping.set()
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task
    await runner.release()


async def stored_results(app: web.Application) -> Shared:
    """What every node shows: the store's results (one read), nothing without a monitor."""
    if app[LIVE].current.model.monitor is None:
        return Shared()
    return await read_shared(app[STORE], app[CLOCK]())
