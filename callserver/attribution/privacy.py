"""The visitor's IP address: which one it is behind our proxy, and how much of it is kept.

Addresses are parsed with `inet_pton` where it suffices: `ipaddress` costs a few microseconds
a call, paid on every page view of every site.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
from typing import Literal

IpMode = Literal["full", "truncate", "hash"]


def client_ip(remote: str | None, forwarded_for: str | None) -> str | None:
    """The visitor's address. callserver listens on loopback, so a peer on loopback is our own
    reverse proxy, and the last address of its `X-Forwarded-For` is the one it saw connect;
    earlier entries are whatever the client claimed, so they are ignored."""
    peer = _canonical(remote)
    if peer is None or not forwarded_for or not _loopback(peer):
        return peer
    return _canonical(forwarded_for.rsplit(",", 1)[-1]) or peer


def from_our_proxy(remote: str | None) -> bool:
    """Whether a peer is our own reverse proxy, whose `X-Forwarded-*` headers are believed:
    the rule `client_ip` applies, for the other headers such a proxy sets."""
    peer = _canonical(remote)
    return peer is not None and _loopback(peer)


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


def _loopback(ip: str) -> bool:
    return ip.startswith("127.") or ip == "::1"
