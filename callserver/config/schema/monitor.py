"""The `monitor:` section: test calls that `serve` places on a schedule, proving each listed
tracking number still answers, takes digits and reaches the right target."""

from __future__ import annotations

from pydantic import Field

from callserver.config.schema.base import Name, Phone, Strict
from callserver.config.schema.patterns import DIGITS_PATTERN, HOSTPORT_PATTERN


class MonitoredNumber(Strict):
    """One tracking number the monitor calls."""

    number: Phone
    digits: str = Field("", pattern=DIGITS_PATTERN,
                        description="Keys sent as RFC 2833 events once the greeting plays.")
    expect_target: Name | None = Field(
        None, description="The call fails unless callserver dials or connects this target.")
    interval_s: int | None = Field(None, ge=1, description="Defaults to the monitor's.")


class Monitor(Strict):
    """Scheduled test calls over SIP from the PBX account in CALLSERVER_TESTCALL_USER and
    CALLSERVER_TESTCALL_SECRET; each number's last result is in /metrics and /api/monitor."""

    server: str = Field(pattern=HOSTPORT_PATTERN,
                        description='The PBX\'s SIP side, "HOST:PORT" (port 5060 if left out).')
    interval_s: int = Field(900, ge=1, description="Seconds between test calls to a number.")
    retry_s: int = Field(60, ge=1, description="After a failed test call, call again this "
                                               "soon (when sooner than the interval).")
    local_port: int = Field(0, ge=0, le=65535, description="Local SIP port; 0: any free one.")
    caller_id: Phone | None = Field(
        None, description="The number the PBX presents (CALLERID(num)) for the test account. "
                          "A call from it is a test call: recorded and flagged as one, but it "
                          "sends no webhooks or analytics, joins no visitor session, uses up "
                          "no hour, day or month cap (it does hold a concurrency place while "
                          "on the line) and stays out of reports, /api/calls (unless "
                          "`test=include` or `test=only`), the dashboard and /metrics. "
                          "Without it, test calls are ordinary calls.")
    numbers: list[MonitoredNumber] = Field(min_length=1, description="The numbers to call.")
