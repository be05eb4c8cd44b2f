"""A `sip:` target's URI, checked for what Asterisk will make of it.

The URI ends up in two places: `contact=` of the PJSIP AOR `callserver asterisk-conf` renders,
and the dial string `PJSIP/cs-NAME/URI` inside `Dial(...)`. RFC 3261 allows characters there
that Asterisk reads as syntax (`,` and `&` separate Dial's arguments and channels, `(` `)` and
quotes group them, `,` also separates AOR contacts), so those are refused here, at `check`,
rather than failing on the first call. A password never belongs in the URI: it is the file.
"""

from __future__ import annotations

import ipaddress
import re

# The shape, for editors' JSON Schema; `sip_uri` checks the rest and says what is wrong.
SIP_PATTERN = r"^sips?:[^@\s]+@[^@\s]+$"
TRANSPORTS = ("udp", "tcp", "tls")

_USER = re.compile(r"^(?:[A-Za-z0-9\-_.!~*+=;?/]|%[0-9A-Fa-f]{2})+$")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")
_PARAM = re.compile(r"^[A-Za-z0-9\-_.!~*+%]+(?:=[A-Za-z0-9\-_.!~*+%]+)?$")
_HOSTPORT = re.compile(r"^(?:\[(?P<v6>[^\]]+)\]|(?P<host>[^:\[\]]+))(?::(?P<port>[^:]*))?$")
_ASTERISK_SYNTAX = ",&()'\"$\\|"


def sip_uri(value: str) -> str:
    """`value` as given when Asterisk can use it, else ValueError saying why."""
    user, _, hostpart = value.partition(":")[2].partition("@")
    hostport, _, params = hostpart.partition(";")
    syntax = sorted(set(value) & set(_ASTERISK_SYNTAX))
    if syntax:
        raise ValueError(f"{' '.join(map(repr, syntax))} cannot be dialled: Asterisk's Dial "
                         "and pjsip.conf read them as syntax; %-escape them in the user part")
    if ":" in user:
        raise ValueError("the URI holds a password; put user:password in the variable "
                         "`auth_env` names, never in the file")
    if not _USER.match(user):
        raise ValueError(f"{user!r} is not a SIP user part (letters, digits, - _ . ! ~ * + = ; "
                         "? / and %XX escapes)")
    if "?" in hostpart:
        raise ValueError("URI headers (after '?') cannot be dialled; remove them")
    _check_hostport(hostport)
    for param in params.split(";") if params else ():
        if not _PARAM.match(param):
            raise ValueError(f"';{param}' is not a URI parameter (;name or ;name=value)")
    given = _transport_param(value)
    if given is not None and given not in TRANSPORTS:
        raise ValueError(f"transport must be udp, tcp or tls, got {given!r}")
    if value.startswith("sips:") and given == "udp":
        raise ValueError("a sips: URI needs TLS; it cannot have transport=udp")
    return value


def transport_of(uri: str) -> str:
    """The PJSIP transport a checked URI needs: TLS for `sips:`, else its `transport`
    parameter, else UDP."""
    if uri.startswith("sips:"):
        return "tls"
    return _transport_param(uri) or "udp"


def _transport_param(uri: str) -> str | None:
    params = uri.partition("@")[2].partition("?")[0].split(";")[1:]
    given = [p.partition("=")[2].lower() for p in params if p.lower().startswith("transport=")]
    return given[-1] if given else None


def _check_hostport(hostport: str) -> None:
    found = _HOSTPORT.match(hostport)
    if found is None:
        raise ValueError(f"{hostport!r} is not host[:port]")
    v6, host, port = found.group("v6", "host", "port")
    try:
        if v6 is not None:
            ipaddress.IPv6Address(v6)
        elif host.replace(".", "").isdigit():
            ipaddress.IPv4Address(host)
        elif len(host) > 253 or not _HOSTNAME.match(host):
            raise ValueError
    except ValueError:
        raise ValueError(f"{v6 or host!r} is not a host name or IP address") from None
    if port is not None and not (port.isdigit() and 1 <= int(port) <= 65535):
        raise ValueError(f"port {port!r} is not 1-65535")
