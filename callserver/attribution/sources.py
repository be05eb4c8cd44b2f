"""Which onsite source a visit came from: the first, by ascending position, whose `match` holds.

Every condition a `match` gives must hold; `search: false` or `direct: false` ask for the
opposite. Offsite sources never reach here (`ResolvedConfig.onsite_sources` leaves them out).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from callserver.attribution.visit import Visit
from callserver.config.schema import Source
from callserver.config.schema.root import SourceMatch

# Hosts of the search engines people use, any country domain (google.co.uk, yandex.ru).
_SEARCH_HOSTS = re.compile(
    r"(^|\.)(google|bing|yahoo|duckduckgo|baidu|yandex|ecosia|ask|aol|naver|seznam|startpage"
    r"|qwant|sogou|daum|dogpile|mojeek)(\.[a-z]{2,3}){1,2}$|^search\.brave\.com$")


def is_search(referrer: str) -> bool:
    host = urlsplit(referrer).hostname if referrer else None
    return bool(host and _SEARCH_HOSTS.search(host))


def matches(rule: SourceMatch, visit: Visit) -> bool:
    if rule.search is not None and is_search(visit.referrer) != rule.search:
        return False
    if rule.direct is not None and (not visit.referrer) != rule.direct:
        return False
    if rule.always is False:
        return False
    if rule.referrer is not None and not (
            visit.referrer and re.search(rule.referrer, visit.referrer)):
        return False
    if rule.landing is not None and not re.search(rule.landing, visit.url):
        return False
    return all(name in visit.params and re.search(pattern, visit.params[name])
               for name, pattern in (rule.param or {}).items())


def first_match(sources: Sequence[tuple[str, Source]], visit: Visit) -> str | None:
    """`sources` in evaluation order, as `ResolvedConfig.onsite_sources` keeps them."""
    for name, source in sources:
        if source.match is not None and matches(source.match, visit):
            return name
    return None
