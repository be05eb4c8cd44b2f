"""The visitor's IP address: which one it is behind our proxies, and how much of it is kept.

Addresses are parsed with `inet_pton` where it suffices: `ipaddress` costs a few microseconds
a call, paid on every page view of every site.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
from typing import Literal

from callserver.attribution.proxies import TrustedProxies

IpMode = Literal["full", "truncate", "hash"]


def client_ip(remote: str | None, forwarded_for: str | None,
              trusted: TrustedProxies) -> str | None:
    """The visitor's address. A trusted proxy's `X-Forwarded-For` is read from the right, each
    entry added by the hop before it: the first address not itself a trusted proxy is the one
    that connected to our outermost proxy; entries left of it are whatever the client claimed.
    A malformed entry ends the walk at the last good address; an all-trusted chain, at its
    leftmost."""
    peer, trusts = _canonical(remote), trusted.trusts
    if peer is None or not forwarded_for or not trusts(peer):
        return peer
    client, end = peer, len(forwarded_for)
    while True:  # by index, not split: a long header costs only the entries walked
        start = forwarded_for.rfind(",", 0, end)
        hop = _canonical(forwarded_for[start + 1:end])
        if hop is None:
            return client
        client = hop
        if start < 0 or not trusts(hop):
            return client
        end = start


def from_our_proxy(remote: str | None, trusted: TrustedProxies) -> bool:
    """Whether a peer is one of our proxies, whose other `X-Forwarded-*` headers are believed."""
    peer = _canonical(remote)
    return peer is not None and trusted.trusts(peer)


def stored_ip(ip: str | None, mode: IpMode, key: bytes) -> str | None:
    """`truncate` keeps the /24 (IPv4) or /48 (IPv6) network; `hash` keeps a keyed digest,
    equal for equal addresses (so per-IP limits still work) and unreadable without the key."""
    ip = _canonical(ip)
    if ip is None or mode == "full":
        return ip
    if mode == "truncate":
        return str(ipaddress.ip_network(f"{ip}/{48 if ':' in ip else 24}", strict=False))
    packed = socket.inet_pton(socket.AF_INET6 if ":" in ip else socket.AF_INET, ip)
    return hmac.new(key, packed, hashlib.sha256).hexdigest()[:32]


def _canonical(text: str | None) -> str | None:
    """The address as `ipaddress` would print it (IPv4 inside IPv6 unwrapped), or None."""
    text = text.strip() if text else ""
    if not text.isascii():  # a header's undecodable bytes arrive as lone surrogates
        return None
    if ":" not in text:
        try:
            socket.inet_pton(socket.AF_INET, text)  # refuses leading zeros: already canonical
        except OSError:
            return None
        return text
    try:
        address = ipaddress.IPv6Address(text.split("%", 1)[0])
    except ValueError:
        return None
    return str(address.ipv4_mapped or address)

