"""Trusted proxies (CALLSERVER_TRUSTED_PROXIES): whose X-Forwarded-For is believed, and how it
is walked from the right to the client behind a CDN, a load balancer and the local nginx."""

from __future__ import annotations

import re

import pytest

from callserver.attribution.privacy import client_ip, from_our_proxy
from callserver.attribution.proxies import TrustedProxies, parse_trusted_proxies
from callserver.settings import trusted_proxies_from_env

# The local nginx, a load balancer's subnet, a CDN's IPv4 and IPv6 ranges.
CHAIN = parse_trusted_proxies("127.0.0.1, ::1, 10.0.0.0/8, 173.245.48.0/20, 2400:cb00::/32")
DEFAULT = TrustedProxies()


@pytest.mark.parametrize(("remote", "forwarded", "ip"), [
    ("127.0.0.1", "198.51.100.2, 173.245.48.9", "198.51.100.2"),  # CDN -> nginx -> us
    ("10.1.2.3", "198.51.100.2", "198.51.100.2"),  # a load balancer on another host
    ("10.1.2.3", "198.51.100.2, 173.245.48.9, 10.0.0.7", "198.51.100.2"),  # every hop trusted
    ("127.0.0.1", "6.6.6.6, 1.2.3.4, 198.51.100.2, 173.245.48.9", "198.51.100.2"),  # spoofs
    ("127.0.0.1", "10.0.0.5, 173.245.48.9", "10.0.0.5"),  # all trusted: the leftmost
    ("127.0.0.1", "198.51.100.2, junk, 173.245.48.9", "173.245.48.9"),  # the last good one
    ("127.0.0.1", "junk", "127.0.0.1"),
    ("127.0.0.1", "198.51.100.2, , 173.245.48.9", "173.245.48.9"),
    ("::1", "2001:db8::5, 2400:cb00:2048::1", "2001:db8::5"),  # IPv6 throughout
    ("::ffff:10.1.2.3", "::ffff:198.51.100.2", "198.51.100.2"),  # mapped IPv4 unwrapped
    ("203.0.113.7", "198.51.100.2", "203.0.113.7"),  # an untrusted peer's header is ignored
    ("173.245.48.9", "1.2.3.4", "1.2.3.4"),  # the CDN connecting directly is trusted too
    ("173.245.64.1", "1.2.3.4", "173.245.64.1"),  # just outside the /20
    ("127.0.0.2", "1.2.3.4", "127.0.0.2"),  # a listed 127.0.0.1 is that address, not 127/8
])
def test_the_walk_from_the_right(remote: str, forwarded: str, ip: str) -> None:
    assert client_ip(remote, forwarded, CHAIN) == ip


def test_the_default_is_loopback_only_and_takes_the_last_entry() -> None:
    assert trusted_proxies_from_env({}) == DEFAULT == parse_trusted_proxies(" , ")
    assert client_ip("127.8.0.2", "1.2.3.4, 198.51.100.2", DEFAULT) == "198.51.100.2"
    assert client_ip("::1", "198.51.100.2, 173.245.48.9", DEFAULT) == "173.245.48.9"
    assert client_ip("10.1.2.3", "198.51.100.2", DEFAULT) == "10.1.2.3"


def test_the_other_headers_follow_the_same_trust() -> None:
    assert from_our_proxy("10.200.0.1", CHAIN) and from_our_proxy("2400:cb00::9", CHAIN)
    assert not from_our_proxy("10.200.0.1", DEFAULT) and not from_our_proxy(None, CHAIN)
    assert not from_our_proxy("11.0.0.1", CHAIN) and not from_our_proxy("localhost", CHAIN)
    assert from_our_proxy("::1", DEFAULT) and from_our_proxy("127.0.0.1", CHAIN)


def test_plain_addresses_need_no_ranges() -> None:
    only = parse_trusted_proxies("192.0.2.10,2001:db8::10")
    assert only.trusts("192.0.2.10") and only.trusts("2001:db8::10")
    assert not only.trusts("192.0.2.11") and not only.trusts("127.0.0.1")


@pytest.mark.parametrize(("setting", "message"), [
    ("10.0.0.0/8, nope", "entry 2 ('nope') is not an IP address or CIDR range"),
    ("10.0.0.1/8", "entry 1 ('10.0.0.1/8') has host bits set: the range is 10.0.0.0/8"),
    ("10.0.0.0/33", "entry 1 ('10.0.0.0/33') is not an IP address"),
    ("2001:db8::/129", "entry 1 ('2001:db8::/129') is not an IP address"),
    ("127.0.0.1,,10.0.0.0/8", "entry 2 is empty"),
    ("::ffff:10.0.0.1", "entry 1 ('::ffff:10.0.0.1') is IPv4 inside IPv6: write it as IPv4"),
])
def test_a_bad_entry_is_refused_by_its_place(setting: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(f"CALLSERVER_TRUSTED_PROXIES: {message}")):
        trusted_proxies_from_env({"CALLSERVER_TRUSTED_PROXIES": setting})
