"""Headers whose values come from the environment (a webhook's `headers_env`), read per attempt.

The outbox keeps only which variable fills which header, so no credential is stored with a
delivery, and the API, dashboard and logs that show one cannot show it; a rotated key goes out
at the next attempt. A variable that is unset (or empty) fails the attempt like a receiver that
is down: retried on the schedule (set it and restart, and the next attempt sends), then parked.
"""

from __future__ import annotations

from collections.abc import Mapping


class EnvHeaderMissing(Exception):
    """A header's variable cannot be sent; the message names the variable, never its value."""


def env_headers(names: Mapping[str, str], env: Mapping[str, str]) -> dict[str, str]:
    """`names` (header to variable) with each variable's value from `env`."""
    headers = {}
    for header, variable in names.items():
        value = env.get(variable, "")
        if not value:
            raise EnvHeaderMissing(f"environment variable {variable} (header {header}) is not "
                                   "set: set it where callserver runs, and restart it")
        if "\r" in value or "\n" in value:
            raise EnvHeaderMissing(f"environment variable {variable} (header {header}) holds a "
                                   "line break, which no header value may")
        headers[header] = value
    return headers
