""""Is my snippet installed?" (seed 000's Test Snippet): from a fetched page, whether it loads
swap.js, which campaigns' `swap_target` it shows and in which spellings, and what a visitor who
typed the address in would see instead."""

from __future__ import annotations

import re
from typing import Any

from callserver.attribution.offers import PoolOffer, StaticOffer, campaign_swaps, pool_numbers
from callserver.attribution.page import PageScan
from callserver.attribution.sources import first_match, source_rules
from callserver.attribution.spellings import find_spellings, respell, spelling_pattern
from callserver.attribution.visit import visit_of
from callserver.config.resolve import ResolvedConfig

_SWAP_JS = re.compile(r"/swap\.js(?:$|[?#])")


def snippet_report(scan: PageScan, page_url: str,
                   config: ResolvedConfig | None) -> dict[str, Any]:
    loads = [s for s in scan.scripts if _SWAP_JS.search(s.src)]
    report: dict[str, Any] = {
        "swap_js": {"included": bool(loads), "src": [s.src for s in loads],
                    "async": any(s.is_async for s in loads)},
        "campaigns": [],
    }
    if config is None:
        return report
    source = first_match(source_rules(config.onsite_sources), visit_of(page_url, ""))
    pools = pool_numbers(config)
    for name, swap in campaign_swaps(config).items():
        if swap.swap_target is None:
            continue
        pattern = spelling_pattern(swap.swap_target)
        in_text = [found for text in scan.texts for found in find_spellings(text, pattern)]
        in_links = [found for link in scan.tel_links for found in find_spellings(link, pattern)]
        offer = swap.offer(source)
        shown = (offer.number if isinstance(offer, StaticOffer)
                 else _pool_shows(offer, pools[offer.key]) if isinstance(offer, PoolOffer)
                 else None)
        spellings = sorted(set(in_text + in_links))
        report["campaigns"].append({
            "campaign": name, "swap_target": swap.swap_target, "found": bool(spellings),
            "spellings": spellings, "in_text": len(in_text), "in_tel_links": len(in_links),
            "direct_visit": {"source": source, "number": shown,
                             "pool": offer.key if isinstance(offer, PoolOffer) else None},
            "would_swap": [{"from": s, "to": respell(s, shown)} for s in spellings] if shown
            else [],
        })
    return report


def _pool_shows(offer: PoolOffer, numbers: tuple[str, ...]) -> str | None:
    """Its first number; with every number released (out of service), its fallback, as swap
    gives a visitor when no number is free."""
    return numbers[0] if numbers else offer.fallback
