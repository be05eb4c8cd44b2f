"""The `simulate` command's edge: arguments in, the flow's trace out as JSON."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta

from callserver.asterisk.call_counts import counts_from, scopes_for
from callserver.call_events import end_call, start_call
from callserver.call_record import closed, opened, voicemail_dir
from callserver.config.errors import ConfigError
from callserver.config.loader import load_config
from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.flow import Counts, run_call
from callserver.flow_trace import CallResult
from callserver.hours.blocks import block_in_force, block_name
from callserver.numbers.gate import as_served
from callserver.numbers.stray import stray_call
from callserver.probe.test_calls import is_test_call
from callserver.routing.context import normal_number
from callserver.simulate import SimulatedChannel, dial_names, new_call_id, parse_at, parse_counts
from callserver.simulate_stray import dialled, record, stray_trace
from callserver.store.open import open_store

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
    except ValueError as exc:
        print(f"callserver simulate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.record and not args.db:
        print("callserver simulate: --record needs --db (a SQLite file or a postgresql:// URL)",
              file=sys.stderr)
        return EXIT_USAGE
    if not all(ch.isdigit() or ch in "*#" for ch in args.digits):
        print(f"callserver simulate: --digits {args.digits!r}: use 0-9, * and #",
              file=sys.stderr)
        return EXIT_USAGE
    if args.db:
        config = as_served(args.db, config, datetime.now(UTC))
    names = dial_names(config)
    unknown = sorted(set(args.busy + args.no_answer) - set(names.values()))
    if unknown:
        print(f"callserver simulate: unknown target {unknown[0]!r}", file=sys.stderr)
        return EXIT_USAGE
    view = config.lookup(args.to)
    try:
        counts = parse_counts(args.counts, None if view is None else blocks_at(config, view, at))
    except ValueError as exc:
        print(f"callserver simulate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if view is None:
        caller = normal_number(args.caller)
        stray = stray_call(new_call_id(), dialled(args.to), caller, at,
                           test=is_test_call(config, caller))
        if args.record:
            stray = asyncio.run(record(args.db, stray))
        print(json.dumps(stray_trace(stray), indent=2))
        return 0
    channel = SimulatedChannel(names, args.digits, frozenset(args.busy),
                               frozenset(args.no_answer), voicemail_dir=voicemail_dir(config))
    call_id = new_call_id()
    result = asyncio.run(_simulate(channel, config, view, call_id, args, at, counts))
    print(json.dumps({**result.trace, "call_id": call_id, "channel": channel.commands},
                     indent=2))
    return 0


def blocks_at(config: ResolvedConfig, view: NumberView, at: datetime) -> dict[str, str]:
    """Per scope of the call, the block of the day in force at `at`, by its cap's name."""
    return {scope.name: block_name(held[0].interval) for scope in scopes_for(config, view)
            if (held := block_in_force(scope.caps.blocks, scope.timezone, at)) is not None}


async def _simulate(channel: SimulatedChannel, config: ResolvedConfig, view: NumberView,
                    call_id: str, args: argparse.Namespace, at: datetime,
                    counts: Counts) -> CallResult:
    caller = normal_number(args.caller)
    if not args.record:
        return await run_call(channel, config, view, call_id=call_id, caller=caller, now=at,
                              counts=counts)
    store = await open_store(args.db)
    try:
        started = await store.write(start_call, config, view, opened(call_id, view, caller, at),
                                    scopes_for(config, view), at, durable=True)
        view = started.view  # with the source the call is credited to
        if not args.counts:  # count the calls already in the store, as a real call would
            counts = counts_from(started.counts, {})
        result = await run_call(channel, config, view, call_id=call_id, caller=caller, now=at,
                                counts=counts)
        ended = at + timedelta(seconds=result.talk_seconds)
        end = closed(config, view, call_id, result, ended)
        await store.write(end_call, config, view, call_id, end, result, durable=True)
    finally:
        await store.close()
    return result
