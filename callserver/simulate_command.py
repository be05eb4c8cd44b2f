"""The `simulate` command's edge: arguments in, the flow's trace out as JSON."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from callserver.config.errors import ConfigError
from callserver.config.loader import load_config
from callserver.flow import run_call
from callserver.simulate import SimulatedChannel, dial_names, new_call_id, parse_at, parse_counts

EXIT_USAGE = 2


def simulate(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        return EXIT_USAGE
    try:
        at = parse_at(args.at)
        counts = parse_counts(args.counts)
    except ValueError as exc:
        print(f"callserver simulate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not all(ch.isdigit() or ch in "*#" for ch in args.digits):
        print(f"callserver simulate: --digits {args.digits!r}: use 0-9, * and #",
              file=sys.stderr)
        return EXIT_USAGE
    names = dial_names(config)
    unknown = sorted(set(args.busy + args.no_answer) - set(names.values()))
    if unknown:
        print(f"callserver simulate: unknown target {unknown[0]!r}", file=sys.stderr)
        return EXIT_USAGE
    view = config.lookup(args.to)
    if view is None:
        print(json.dumps({"number": args.to, "outcome": "unknown-number",
                          "reason": "not a tracking number in this config"}, indent=2))
        return 0
    channel = SimulatedChannel(names, args.digits, frozenset(args.busy),
                               frozenset(args.no_answer))
    result = asyncio.run(run_call(channel, config, view, call_id=new_call_id(),
                                  caller=args.caller, now=at, counts=counts))
    print(json.dumps({**result.trace, "channel": channel.commands}, indent=2))
    return 0
