"""One test call end to end: place it (on a thread, the SIP library blocks), then read back
its record until callserver has completed it. Shared by `callserver test-call` and the
monitor; the record is read through `lookup`, so each caller brings its own store access."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from callserver.probe.account import LocalSide, SipAccount
from callserver.probe.observation import Observation, Timing
from callserver.probe.record import Lookup
from callserver.probe.sip_call import place_call
from callserver.probe.verdict import Spec, Verdict, judge
from callserver.store.call_values import Call, CallStatus

POLL_S = 0.25


async def run_test_call(account: SipAccount, local: LocalSide, spec: Spec, timing: Timing,
                        lookup: Lookup,
                        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                        stop: threading.Event | None = None) -> Verdict:
    observation = await asyncio.to_thread(place_call, account, local, spec.number,
                                          spec.digits, timing, clock, stop)
    call = await _completed_record(lookup, observation, timing.record_s)
    return judge(spec, observation, call, timing)


async def _completed_record(lookup: Lookup, seen: Observation, wait_s: float) -> Call | None:
    """The record once it is complete, or as it stands after `wait_s` (an unanswered call
    is looked up once: it may never have reached callserver)."""
    deadline = time.monotonic() + (wait_s if seen.answered else 0.0)
    while True:
        call = await lookup(seen.number, seen.placed_at, seen.ended_at)
        if (call is not None and call.status is not CallStatus.IN_PROGRESS) \
                or time.monotonic() >= deadline:
            return call
        await asyncio.sleep(POLL_S)
