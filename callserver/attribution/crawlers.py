"""Known crawlers and headless agents: they are shown a number but never take a lease, so a
search engine's sweep of a site cannot empty its pool or fill the sessions table."""

from __future__ import annotations

import re
from functools import lru_cache

# Matched against the lowered agent: a case-insensitive search is twenty times slower.
_AGENTS = re.compile(
    r"bot[/;)]|\bbot\b|crawl|spider|slurp|headless|phantomjs|lighthouse|pagespeed|pingdom"
    r"|uptime|monitor|preview|facebookexternalhit|mediapartners|adsbot|apis-google"
    r"|inspectiontool|python|curl/|wget|go-http-client|java/|okhttp|httpclient|libwww|axios"
    r"|node-fetch|undici|aiohttp|scrapy|selenium|puppeteer|playwright|cypress")


@lru_cache(maxsize=1024)
def is_crawler(user_agent: str | None) -> bool:
    """Every browser sends a user agent; a request without one is a script. Cached: a site's
    visitors send a few hundred distinct agents between them, each on many page views."""
    return not user_agent or _AGENTS.search(user_agent.lower()) is not None
