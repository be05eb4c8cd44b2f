"""`callserver snippet --config FILE --host URL`: the exact line each campaign's site pastes
(`attribution.snippet_tag`).

Prints one `<script>` tag per campaign that can swap (a `swap_target` and `sites`); exits 2
when none can, or the host is not an http(s) origin.
"""

from __future__ import annotations

import argparse
import html
import sys
from typing import Any

from callserver.attribution.snippet_tag import origin, script_tag, sites_of, why_not
from callserver.config.loader import load_or_report

EXIT_USAGE = 2


def add_parser(sub: Any) -> None:
    """`sub` is the `callserver` parser's subparsers action."""
    parser = sub.add_parser("snippet", help="print the <script> line for each campaign's site")
    parser.add_argument("--config", required=True, help="campaign YAML file")
    parser.add_argument("--host", required=True,
                        help="this server's public origin, e.g. https://calls.example.com")
    parser.add_argument("--campaign", help="only this campaign")


def run(args: argparse.Namespace) -> int:
    config = load_or_report(args.config)
    if config is None:
        return EXIT_USAGE
    host = origin(args.host)
    if host is None:
        print(f"callserver snippet: --host must be an http(s) origin, got {args.host!r}",
              file=sys.stderr)
        return EXIT_USAGE
    campaigns = {name: c for name, c in config.model.campaigns.items()
                 if args.campaign in (None, name)}
    if not campaigns:
        print(f"callserver snippet: no campaign {args.campaign!r} in {args.config}",
              file=sys.stderr)
        return EXIT_USAGE
    swapping = {name: c for name, c in campaigns.items() if why_not(c) is None}
    for name, campaign in campaigns.items():
        if (why := why_not(campaign)) is not None:
            print(f"{name}: no snippet: {why}", file=sys.stderr)
    for name, campaign in swapping.items():
        print(f"<!-- {html.escape(name)}: on every page of {html.escape(sites_of(campaign))} -->")
        print(script_tag(host, name))
    return 0 if swapping else EXIT_USAGE
