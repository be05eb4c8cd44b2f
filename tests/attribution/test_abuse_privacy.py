"""Crawlers, the client's address behind our proxy, and how much of it is kept."""

from __future__ import annotations

import pytest

from callserver.attribution.crawlers import is_crawler
from callserver.attribution.privacy import client_ip, stored_ip
from callserver.attribution.proxies import TrustedProxies

KEY = b"k" * 32


@pytest.mark.parametrize("agent", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/124.0 Safari/537.36",
    "facebookexternalhit/1.1", "curl/8.5.0", "python-requests/2.31", "Python/3.11 aiohttp/3.9",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0)", "Chrome-Lighthouse", "", None,
])
def test_crawlers_and_scripts_are_known(agent: str | None) -> None:
    assert is_crawler(agent)


@pytest.mark.parametrize("agent", [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 Chrome/120 Mobile Safari",
])
def test_browsers_are_not_crawlers(agent: str) -> None:
    assert not is_crawler(agent)


@pytest.mark.parametrize(("remote", "forwarded", "ip"), [
    ("203.0.113.7", None, "203.0.113.7"),
    ("203.0.113.7", "10.9.9.9", "203.0.113.7"),  # only our own proxy on loopback is believed
    ("127.0.0.1", "1.2.3.4, 198.51.100.2", "198.51.100.2"),  # the client's own claim ignored
    ("127.0.0.1", "junk", "127.0.0.1"),
    ("::ffff:198.51.100.2", None, "198.51.100.2"),
    (None, "1.2.3.4", None),
])
def test_client_ip(remote: str | None, forwarded: str | None, ip: str | None) -> None:
    assert client_ip(remote, forwarded, TrustedProxies()) == ip


def test_stored_ip_full_truncated_or_hashed() -> None:
    assert stored_ip("203.0.113.7", "full", KEY) == "203.0.113.7"
    assert stored_ip("203.0.113.7", "truncate", KEY) == "203.0.113.0/24"
    assert stored_ip("2001:db8:aa:bb::1", "truncate", KEY) == "2001:db8:aa::/48"
    hashed = stored_ip("203.0.113.7", "hash", KEY)
    assert hashed == stored_ip("203.0.113.7", "hash", KEY) != stored_ip("203.0.113.7", "hash",
                                                                         b"other")
    assert hashed is not None and len(hashed) == 32
    assert stored_ip(None, "hash", KEY) is None and stored_ip("nope", "full", KEY) is None
