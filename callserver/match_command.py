"""`callserver match URL [--referrer R]`: which onsite source a visit is credited to and why
each earlier source failed, then what each campaign would show it. Tries a source's regexes
against real URLs before a config goes live (seed 001's "build a regular expression").

Exits 0 when a source matches, 1 when none does, 2 on a bad config or URL.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from callserver.attribution.match_explain import explain
from callserver.attribution.offers import CampaignSwap, PoolOffer, StaticOffer, campaign_swaps
from callserver.attribution.sources import source_rules
from callserver.attribution.visit import as_matched, visit_of
from callserver.config.loader import load_or_report

EXIT_NO_MATCH = 1
EXIT_USAGE = 2


def add_parser(sub: Any) -> None:
    """`sub` is the `callserver` parser's subparsers action."""
    parser = sub.add_parser("match", help="show which source a visit matches, and why the "
                                          "earlier ones did not")
    parser.add_argument("url", help="the landing page URL, query string included")
    parser.add_argument("--config", required=True, help="campaign YAML file")
    parser.add_argument("--referrer", default="", help="the page the visitor came from")
    parser.add_argument("--campaign", help="judge the referrer as this campaign's site does "
                                           "(its own pages are no referral)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace) -> int:
    config = load_or_report(args.config)
    if config is None:
        return EXIT_USAGE
    if not args.url.startswith(("http://", "https://")):
        print(f"callserver match: not an http(s) URL: {args.url!r}", file=sys.stderr)
        return EXIT_USAGE
    swaps = campaign_swaps(config)
    if args.campaign is not None and args.campaign not in swaps:
        print(f"callserver match: no campaign {args.campaign!r} in {args.config}",
              file=sys.stderr)
        return EXIT_USAGE
    visit = visit_of(args.url, args.referrer)
    if args.campaign is not None:
        visit = as_matched(visit, swaps[args.campaign].origins)
    verdicts = explain(source_rules(config.onsite_sources), visit)
    source = verdicts[-1].source if verdicts and not verdicts[-1].failed else None
    chosen = {name: swap for name, swap in swaps.items()
              if args.campaign is None or name == args.campaign}
    shown = {name: _shown(swap, source) for name, swap in chosen.items()}
    if args.json:
        print(json.dumps({"source": source, "sources": [
            {"source": v.source, "matched": not v.failed, "failed": list(v.failed)}
            for v in verdicts], "shown": shown}, indent=2))
    else:
        print(f"url: {args.url}\nreferrer: {visit.referrer or '(none)'}")
        for verdict in verdicts:
            said = "matched" if not verdict.failed else "no: " + "; ".join(verdict.failed)
            print(f"{verdict.source}: {said}")
        print(f"source: {source or 'none (no onsite source matches)'}")
        for name, what in shown.items():
            print(f"{name}: {what['text']}")
    return 0 if source is not None else EXIT_NO_MATCH


def _shown(swap: CampaignSwap, source: str | None) -> dict[str, Any]:
    if swap.swap_target is None:
        return {"number": None, "pool": None, "text": "swaps nothing (no swap_target)"}
    offer = swap.offer(source)
    if isinstance(offer, StaticOffer):
        return {"number": offer.number, "pool": None,
                "text": f"shows static number {offer.number}"}
    if isinstance(offer, PoolOffer):
        fallback = f", else {offer.fallback}" if offer.fallback else ""
        return {"number": None, "pool": offer.key,
                "text": f"leases a number of pool {offer.key}{fallback}"}
    return {"number": None, "pool": None, "text": "keeps the page's own number"}
