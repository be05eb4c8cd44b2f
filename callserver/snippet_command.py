"""`callserver snippet-test URL`: is the snippet installed on that page, and what would it
swap? Prints the report `POST /api/snippet-test` answers, as JSON.

Exits 0 when the page loads swap.js, 1 when it does not, 2 when the page cannot be tested.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from callserver.config.errors import ConfigError
from callserver.config.loader import load_config

EXIT_MISSING = 1
EXIT_USAGE = 2


def add_parser(sub: Any) -> None:
    """`sub` is the `callserver` parser's subparsers action."""
    parser = sub.add_parser("snippet-test", help="check that a page loads swap.js and what "
                                                 "it would swap")
    parser.add_argument("url", help="the page to fetch (http or https)")
    parser.add_argument("--config", help="campaign YAML file, to look for each swap_target")
    parser.add_argument("--allow-private", action="store_true",
                        help="allow loopback and private addresses (testing a local site)")


def run(args: argparse.Namespace) -> int:
    # Imported here: building the `callserver` parser should not load the HTTP client.
    from callserver.web.snippet_test import FetchFailed, Refused, snippet_test

    try:
        config = load_config(args.config) if args.config else None
        report = asyncio.run(snippet_test(args.url, config, allow_private=args.allow_private))
    except ConfigError as exc:
        print("\n".join(str(issue) for issue in exc.issues), file=sys.stderr)
        return EXIT_USAGE
    except (Refused, FetchFailed) as error:
        print(f"callserver snippet-test: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(report, indent=2))
    return 0 if report["swap_js"]["included"] else EXIT_MISSING
