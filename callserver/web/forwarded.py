"""The scheme and host a browser used, which behind a TLS-terminating reverse proxy are not
the ones callserver's own socket saw (`http` and `127.0.0.1:8080`).

`X-Forwarded-Proto` and `X-Forwarded-Host` are believed only from a trusted proxy, the same
rule by which `client_ip` believes `X-Forwarded-For` (CALLSERVER_TRUSTED_PROXIES; loopback by
default). Sent by anyone else (callserver exposed directly) they are ignored, so a client
cannot claim https to get a form past the same-origin check. Of a list, the last entry is the
one the proxy talking to us added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aiohttp import web

from callserver.attribution.privacy import from_our_proxy
from callserver.attribution.proxies import TrustedProxies
from callserver.web.keys import TRUSTED_PROXIES

_HOST = re.compile(r"([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?")


@dataclass(frozen=True)
class ClientView:
    """An origin as the browser names it: what `Origin` must equal, and whether cookies it is
    given may be marked `Secure`."""

    scheme: str
    host: str

    @property
    def origin(self) -> str:
        """As a browser serialises it: lower case, and without the scheme's default port (a
        proxy may pass `Host: Dash.Example:443`; the page's `Origin` is `https://dash.example`)."""
        host = self.host.lower()
        default = {"https": ":443", "http": ":80"}.get(self.scheme.lower())
        if default and host.endswith(default):
            host = host[:-len(default)]
        return f"{self.scheme.lower()}://{host}"

    @property
    def secure(self) -> bool:
        return self.scheme == "https"


def client_view(remote: str | None, own: ClientView, forwarded_proto: str | None,
                forwarded_host: str | None, trusted: TrustedProxies) -> ClientView:
    """`own` (what our socket saw), unless a trusted proxy says what the browser used."""
    if not from_our_proxy(remote, trusted):
        return own
    proto = _last(forwarded_proto).lower()
    host = _last(forwarded_host)
    return ClientView(proto if proto in ("http", "https") else own.scheme,
                      host if _HOST.fullmatch(host) else own.host)


def seen_by_client(request: web.Request) -> ClientView:
    """Read from the headers, not `request.clone`: a form's check runs after its body is read,
    and aiohttp clones no request whose body has been read."""
    return client_view(request.remote, ClientView(request.scheme, request.host),
                       request.headers.get("X-Forwarded-Proto"),
                       request.headers.get("X-Forwarded-Host"), request.app[TRUSTED_PROXIES])


def _last(header: str | None) -> str:
    return header.rsplit(",", 1)[-1].strip() if header else ""
