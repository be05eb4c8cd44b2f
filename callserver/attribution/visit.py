"""A page view as the swap endpoint sees it: the landing URL, the referrer, and what they say."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType
from urllib.parse import parse_qsl, urlsplit

# Query parameters kept with the session: the ad platforms' campaign tags and click ids.
TRACKED_PARAMS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
                  "gclid", "fbclid", "msclkid")
MAX_PARAM_CHARS = 512
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Visit:
    """`referrer` is "" when the browser sent none (typed, bookmarked, or hidden)."""

    url: str
    referrer: str
    params: Mapping[str, str]

    @property
    def tracking(self) -> dict[str, str]:
        """UTM tags and click ids present on the landing URL, each cut to a sane length."""
        return {k: self.params[k][:MAX_PARAM_CHARS] for k in TRACKED_PARAMS if k in self.params}


def visit_of(url: str, referrer: str) -> Visit:
    """The first value of each query parameter wins, as ad platforms append theirs last."""
    params: dict[str, str] = {}
    for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        params.setdefault(name, value)
    return Visit(url=url, referrer=referrer, params=MappingProxyType(params))


def from_site(visit: Visit, site_origins: frozenset[str]) -> bool:
    """Whether the referrer is a page of the campaign's own site: moving between its pages is
    no new visit."""
    return bool(visit.referrer) and origin(visit.referrer) in site_origins


def as_matched(visit: Visit, site_origins: frozenset[str]) -> Visit:
    """The visit as source matching sees it: a referrer on the campaign's own site is no
    referral (a visitor whose stored id is gone, moving between the site's pages, would
    otherwise be credited to `referrer` sources), so matching sees none, as for a direct
    visit. What is stored keeps the real referrer."""
    return replace(visit, referrer="") if from_site(visit, site_origins) else visit


@lru_cache(maxsize=4096)
def origin(url: str) -> str:
    """`scheme://host[:port]` as browsers send it in `Origin`; "" for what has no origin.
    Cached: each request asks it of the same few `Origin` headers and referrers."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return ""
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    shown = "" if port in (None, _DEFAULT_PORTS[scheme]) else f":{port}"
    return f"{scheme}://{host}{shown}"
