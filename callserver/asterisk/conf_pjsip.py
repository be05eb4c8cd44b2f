"""pjsip.conf's endpoints: one per `sip:` target, named as callserver dials it, with the
transport its URI asks for and its auth from the environment; and the carrier's endpoint name,
read from the trunk dial string, so the sample trunk section names what callserver dials.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from callserver.asterisk.conf_values import USER_PATTERN, Secret, conf_value, secret
from callserver.config.schema.root import Target
from callserver.config.schema.sip import transport_of
from callserver.routing.dial import dial_string, sip_endpoint

DEFAULT_TRUNK_ENDPOINT = "carrier"


@dataclass(frozen=True)
class SipTarget:
    """A `sip:` target's endpoint; `dial` is what callserver dials, `uri` is escaped, and
    `transport` (udp, tcp or tls) names the PJSIP transport section it goes out through."""

    name: str
    endpoint: str
    dial: str
    uri: str
    transport: str
    auth: Secret | None


def sip_target(name: str, target: Target, environ: Mapping[str, str],
               warnings: list[str]) -> SipTarget:
    """The endpoint of target `name`; a missing `auth_env` credential adds a warning."""
    uri = target.sip or ""
    auth = None if target.auth_env is None else secret(
        target.auth_env, environ, f"pjsip.conf's auth for target {name}", warnings, pair=True)
    return SipTarget(name, sip_endpoint(name), dial_string(name, target, None),
                     conf_value(uri), transport_of(uri), auth)


def trunk_endpoint(trunk: str | None) -> str | None:
    """The PJSIP endpoint in `PJSIP/{number}@carrier` or `PJSIP/carrier/sip:{number}@host`."""
    match = re.match(r"^PJSIP/([^/@]+)(?:@([^/]+)|/.+)$", trunk or "")
    if match is None:
        return None
    endpoint = match.group(2) or match.group(1)
    return endpoint if USER_PATTERN.match(endpoint) else None
