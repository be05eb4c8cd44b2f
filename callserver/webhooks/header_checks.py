"""`callserver check` for a webhook's headers: a credential belongs in `headers_env`.

A `headers:` value is a template kept with every delivery in the outbox and shown by its API
and the dashboard, so a key written there is in the file and on every screen that lists the
delivery; `headers_env` names the variable instead, read at send time. A header in both would
be sent twice or the wrong way round: an error. A credential-looking `headers:` entry loads
all the same (the value may be meant): a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from callserver.config.errors import Found, Path
from callserver.config.schema import Config, Webhook

_CREDENTIAL_NAME = re.compile(r"^(proxy-)?authorization$|api[-_]?key|token|secret", re.I)
_CREDENTIAL_VALUE = re.compile(r"^\s*(bearer|basic|token)\s+\S", re.I)


def both_places(hook: Webhook) -> list[tuple[tuple[str, ...], str]]:
    """A header given in `headers` and in `headers_env` (names match whatever their case)."""
    written = {name.lower() for name in hook.headers}
    return [(("headers_env", name), f"header '{name}' is also in `headers`: give it in one "
                                    "place (a credential in headers_env only)")
            for name in hook.headers_env if name.lower() in written]


def header_warnings(config: Config) -> Iterator[Found]:
    """Every webhook's credential-looking `headers`; the messages never quote a header's
    value (`config.env_checks` warns of `headers_env` variables not set)."""
    for path, hook in _webhooks(config):
        for name, value in hook.headers.items():
            if _CREDENTIAL_NAME.search(name) or _CREDENTIAL_VALUE.match(value):
                yield ((*path, "headers", name),
                       f"header '{name}' looks like a credential, which the outbox would "
                       "store with every delivery and its API and the dashboard show: put it "
                       "in an environment variable and name that under headers_env instead",
                       True)


def _webhooks(config: Config) -> Iterator[tuple[Path, Webhook]]:
    """Each webhook of the file, at its path: a campaign's, and a number's or pool's own."""
    for name, campaign in config.campaigns.items():
        under: Path = ("campaigns", name)
        owners: list[tuple[Path, list[Webhook] | None]] = [(under, campaign.webhooks)]
        owners += [((*under, "numbers", raw, "unlock"), number.unlock.webhooks)
                   for raw, number in campaign.numbers.items()]
        owners += [((*under, "pools", pool_name, "unlock"), pool.unlock.webhooks)
                   for pool_name, pool in campaign.pools.items()]
        for path, hooks in owners:
            for i, hook in enumerate(hooks or ()):
                yield (*path, "webhooks", i), hook
