"""Whether a call is a test call: one the monitor or `callserver test-call` placed, known by
the caller id the PBX presents for the test account (`monitor.caller_id`).

A test call is recorded like any call, for the probe to read back, but it is no customer's
call: no webhooks or analytics, no visitor session, no cap place, and no line in reports. It
still takes a place under concurrency caps while it is on the line, as it really holds one.
"""

from __future__ import annotations

from callserver.config.resolve import ResolvedConfig
from callserver.routing.context import normal_number

TEST_REASON = "test call from monitor.caller_id: attributed to no session"


def is_test_call(config: ResolvedConfig, caller: str) -> bool:
    """True when `caller` (any spelling; the inbound edge normalises it the same way) is the
    configured test caller id; False whenever no caller id is configured."""
    monitor = config.model.monitor
    if monitor is None or monitor.caller_id is None:
        return False
    return normal_number(caller) == monitor.caller_id
