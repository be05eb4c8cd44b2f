"""Which onsite source a visit came from: the first, by ascending position, whose `match` holds.

Every condition a `match` gives must hold; `search: false` or `direct: false` ask for the
opposite. Offsite sources never reach here (`ResolvedConfig.onsite_sources` leaves them out).
The config's regexes ignore case and are compiled once per loaded config (`source_rules`),
never per request.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from callserver.attribution.visit import Visit
from callserver.config.schema import Source
from callserver.config.schema.sources import SourceMatch

# Hosts of the search engines people use, any country domain (google.co.uk, yandex.ru).
_SEARCH_HOSTS = re.compile(
    r"(^|\.)(google|bing|yahoo|duckduckgo|baidu|yandex|ecosia|ask|aol|naver|seznam|startpage"
    r"|qwant|sogou|daum|dogpile|mojeek)(\.[a-z]{2,3}){1,2}$|^search\.brave\.com$")


@dataclass(frozen=True)
class Rule:
    """One source's `match`, its regexes compiled."""

    search: bool | None
    direct: bool | None
    always: bool | None
    referrer: re.Pattern[str] | None
    landing: re.Pattern[str] | None
    params: tuple[tuple[str, re.Pattern[str]], ...]

    def holds(self, visit: Visit) -> bool:
        if self.search is not None and is_search(visit.referrer) != self.search:
            return False
        if self.direct is not None and (not visit.referrer) != self.direct:
            return False
        if self.always is False:
            return False
        if self.referrer is not None and not (
                visit.referrer and self.referrer.search(visit.referrer)):
            return False
        if self.landing is not None and not self.landing.search(visit.url):
            return False
        for name, pattern in self.params:
            value = visit.params.get(name)
            if value is None or not pattern.search(value):
                return False
        return True


Rules = tuple[tuple[str, Rule], ...]


def source_rules(sources: Sequence[tuple[str, Source]]) -> Rules:
    """`sources` in evaluation order, as `ResolvedConfig.onsite_sources` keeps them; those
    without a `match` never match and are left out."""
    return tuple((name, _rule(source.match)) for name, source in sources
                 if source.match is not None)


def first_match(rules: Rules, visit: Visit) -> str | None:
    for name, rule in rules:
        if rule.holds(visit):
            return name
    return None


def is_search(referrer: str) -> bool:
    host = urlsplit(referrer).hostname if referrer else None
    return bool(host and _SEARCH_HOSTS.search(host))


def _rule(match: SourceMatch) -> Rule:
    return Rule(
        search=match.search, direct=match.direct, always=match.always,
        referrer=_regex(match.referrer) if match.referrer is not None else None,
        landing=_regex(match.landing) if match.landing is not None else None,
        params=tuple((name, _regex(pattern)) for name, pattern in (match.param or {}).items()))


def _regex(pattern: str) -> re.Pattern[str]:
    """Case-blind, as people write sources (`Craigslist`, `utm_source=Google`); a pattern that
    must tell case apart says so itself with `(?-i:...)`."""
    return re.compile(pattern, re.IGNORECASE)
