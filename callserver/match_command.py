"""`callserver match URL [--referrer R]`: which onsite source a visit is credited to and why
each earlier source failed, then what each campaign would show it (`attribution.match_report`).

Exits 0 when a source matches, 1 when none does, 2 on a bad config or URL.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from callserver.attribution.match_report import match_visit
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
    if args.campaign is not None and args.campaign not in config.model.campaigns:
        print(f"callserver match: no campaign {args.campaign!r} in {args.config}",
              file=sys.stderr)
        return EXIT_USAGE
    report = match_visit(config, args.url, args.referrer, args.campaign)
    if args.json:
        print(json.dumps(report.json(), indent=2))
    else:
        print(f"url: {args.url}\nreferrer: {report.referrer or '(none)'}")
        for verdict in report.verdicts:
            said = "matched" if not verdict.failed else "no: " + "; ".join(verdict.failed)
            print(f"{verdict.source}: {said}")
        print(f"source: {report.source or 'none (no onsite source matches)'}")
        for name, what in report.shown.items():
            print(f"{name}: {what['text']}")
    return 0 if report.source is not None else EXIT_NO_MATCH
