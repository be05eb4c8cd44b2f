"""Which peers are our reverse proxies, load balancers or CDN, whose `X-Forwarded-*` headers
are believed: the one trust decision behind the client's address, scheme and host.

The check runs on every page view, once per hop, so it avoids `ipaddress` where it can: the
default (loopback only) is a string test, single addresses are a set lookup, and only a
range membership parses, cached per address string.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
ENV = "CALLSERVER_TRUSTED_PROXIES"
LOOPBACK = (ipaddress.IPv4Network("127.0.0.0/8"), ipaddress.IPv6Network("::1/128"))


@dataclass(frozen=True)
class TrustedProxies:
    """`trusts(ip)` takes an address as `privacy._canonical` prints it (IPv4 unwrapped)."""

    networks: tuple[Network, ...] = LOOPBACK
    trusts: Callable[[str], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "trusts", _membership(self.networks))


def parse_trusted_proxies(text: str) -> TrustedProxies:
    """`127.0.0.1, 10.0.0.0/8, 2001:db8::/32` -> the proxies; empty -> loopback only. A bad
    entry refuses them all: a silently dropped one would leave the wrong peer trusted."""
    entries = [part.strip() for part in text.split(",")]
    if not any(entries):
        return TrustedProxies()
    return TrustedProxies(tuple(_network(place, entry) for place, entry in enumerate(entries, 1)))


def _network(place: int, entry: str) -> Network:
    where = f"{ENV}: entry {place}"
    if not entry:
        raise ValueError(f"{where} is empty")
    try:
        network = ipaddress.ip_network(entry)
    except ValueError:
        try:
            meant = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(f"{where} ({entry!r}) is not an IP address or CIDR range") from None
        raise ValueError(f"{where} ({entry!r}) has host bits set: the range is {meant}") from None
    if isinstance(network, ipaddress.IPv6Network) and network.network_address.ipv4_mapped:
        raise ValueError(f"{where} ({entry!r}) is IPv4 inside IPv6: write it as IPv4")
    return network


def _membership(networks: tuple[Network, ...]) -> Callable[[str], bool]:
    if networks == LOOPBACK:
        return _loopback
    exact = frozenset(str(n.network_address) for n in networks if n.num_addresses == 1)
    ranges = tuple(n for n in networks if n.num_addresses > 1)
    if not ranges:
        return exact.__contains__

    @lru_cache(maxsize=4096)
    def in_range(ip: str) -> bool:
        address = ipaddress.ip_address(ip)
        return any(address in n for n in ranges)

    return lambda ip: ip in exact or in_range(ip)


def _loopback(ip: str) -> bool:
    return ip.startswith("127.") or ip == "::1"
