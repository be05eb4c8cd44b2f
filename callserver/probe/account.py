"""The SIP account test calls are placed from, and where the call leaves this machine.

Credentials come from the environment only (a config file never holds a secret). The local
address is the one the kernel would route to the PBX from, so a call to a PBX on another host
carries a reachable Contact and SDP address without the admin naming an interface.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import dataclass, field

from callserver.hostport import HostPort

USER_ENV = "CALLSERVER_TESTCALL_USER"
SECRET_ENV = "CALLSERVER_TESTCALL_SECRET"
RTP_PORTS = (10000, 20000)


@dataclass(frozen=True)
class SipAccount:
    """A PBX account (e.g. a PJSIP endpoint with `auth`) allowed to dial tracking numbers."""

    server: HostPort
    user: str
    secret: str = field(repr=False)

    @classmethod
    def from_env(cls, server: HostPort, env: Mapping[str, str]) -> SipAccount:
        user, secret = env.get(USER_ENV, ""), env.get(SECRET_ENV, "")
        if not user or not secret:
            raise ValueError(f"set {USER_ENV} and {SECRET_ENV} to the SIP account test calls "
                             "are placed from")
        return cls(server, user, secret)


@dataclass(frozen=True)
class LocalSide:
    """The address and SIP port this end binds; RTP ports are taken from `rtp_ports`."""

    ip: str
    sip_port: int
    rtp_ports: tuple[int, int] = RTP_PORTS


def local_side(server: HostPort, sip_port: int = 0,
               rtp_ports: tuple[int, int] = RTP_PORTS) -> LocalSide:
    """The local address routed towards `server`, and `sip_port` (0: a free one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect((socket.gethostbyname(server.host), server.port))  # sends nothing
        ip = probe.getsockname()[0]
    if sip_port == 0:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as free:
            free.bind((ip, 0))
            sip_port = free.getsockname()[1]
    return LocalSide(ip, sip_port, rtp_ports)
