"""`callserver numbers list | release`: the number inventory on the command line.

`release` takes numbers out of service at once (their leases end) and starts their cooling-off;
it never rewrites the config, but prints the lines to delete from it. A running server stops
showing a released static number at its next reload; `POST /api/numbers/release` does both.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from callserver.config.errors import ConfigError
from callserver.config.loader import load_or_report
from callserver.config.resolve import ResolvedConfig
from callserver.numbers.database import connected, read_only, reading, write
from callserver.numbers.gate import cooling_off, sync
from callserver.numbers.listing import listing
from callserver.numbers.places import places
from callserver.numbers.plan import STATES, Entry, free_at
from callserver.numbers.release import Ask, Released, release
from callserver.numbers.wanted import KINDS, Wanted
from callserver.store import inventory

EXIT_FAILED = 2
_COLUMNS = ("number", "kind", "region", "campaign", "pool", "state", "released_at", "free_at",
            "stray_calls")
_INSTANTS = ("released_at", "free_at")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    numbers = sub.add_parser("numbers", help="the number inventory: list and release numbers")
    actions = numbers.add_subparsers(dest="action", required=True)
    shown = actions.add_parser("list", help="every number ever tracked, with its state")
    shown.add_argument("--state", action="append", choices=STATES, default=[])
    shown.add_argument("--campaign")
    shown.add_argument("--kind", action="append", choices=KINDS, default=[])
    for name, example in (("country", "US"), ("region", "IL or ON"), ("prefix", "+1312")):
        shown.add_argument(f"--{name}", action="append", default=[], help=f"e.g. {example}")
    shown.add_argument("--json", action="store_true", help="one JSON array instead of a table")
    freed = actions.add_parser("release", help="take numbers out of service; prints the config "
                                               "lines to delete")
    freed.add_argument("number", nargs="*", help="a number, in any spelling")
    freed.add_argument("--campaign", action="append", default=[], help="every number of it")
    freed.add_argument("--pool", action="append", default=[],
                       help="every number of a pool: CAMPAIGN/POOL, or POOL in any campaign")
    freed.add_argument("--file", action="append", default=[], help="numbers, one a line")
    for parser in (shown, freed):
        parser.add_argument("--config", required=True, help="campaign YAML file")
        parser.add_argument("--db", default="callserver.sqlite3",
                            help="SQLite file or postgresql:// URL (password in PGPASSWORD)")


def run(args: argparse.Namespace) -> int:
    config = load_or_report(args.config)
    if config is None:
        return EXIT_FAILED
    try:
        if args.action == "list":
            return _list(args, config, datetime.now(UTC))
        return _release(args, config, datetime.now(UTC))
    except BrokenPipeError:  # the reader's, not the database's (cli.main)
        raise
    except (OSError, ValueError, sqlite3.Error) as exc:
        print(f"callserver numbers: {args.db}: {exc}", file=sys.stderr)
        return EXIT_FAILED


def _list(args: argparse.Namespace, config: ResolvedConfig, now: datetime) -> int:
    try:
        wanted = Wanted.of(states=args.state, campaign=args.campaign, kinds=args.kind,
                           countries=args.country, regions=args.region, prefixes=args.prefix)
    except ValueError as exc:
        print(f"callserver numbers list: {exc}", file=sys.stderr)
        return EXIT_FAILED
    found: dict[str, Entry] = {}
    stray: dict[str, int] = {}
    with read_only(args.db) as conn:
        if conn is not None and reading(conn, inventory.exists):
            found, stray = reading(conn, inventory.with_stray_calls)
    records = listing(found.values(), stray, cooling_off(config), now, wanted)
    if args.json:
        print(json.dumps(records, indent=2))
    elif not found:
        print(f"{args.db}: no numbers yet (the inventory fills when callserver serve starts)")
    else:
        _table(records)
    return 0


def _release(args: argparse.Namespace, config: ResolvedConfig, now: datetime) -> int:
    spellings = [*args.number, *(line.strip() for name in args.file
                                 for line in Path(name).read_text(encoding="utf-8").splitlines()
                                 if line.strip() and not line.lstrip().startswith("#"))]
    ask = Ask(tuple(spellings), tuple(args.campaign), tuple(args.pool))
    if not (ask.numbers or ask.campaigns or ask.pools):
        print("callserver numbers release: name numbers, --campaign, --pool or --file",
              file=sys.stderr)
        return EXIT_FAILED
    try:
        with connected(args.db) as conn:
            done = write(conn, _sync_and_release, config, ask, now)
    except ConfigError as exc:
        for issue in exc.issues:
            print(issue)
        return EXIT_FAILED
    for problem in done.problems:
        print(f"not released: {problem}", file=sys.stderr)
    if done.problems:
        print("nothing released", file=sys.stderr)
        return EXIT_FAILED
    _report(config, done)
    return 0


def _sync_and_release(conn: sqlite3.Connection, config: ResolvedConfig, ask: Ask,
                      now: datetime) -> Released:
    """The inventory first learns the file (so every number it lists can be named), then the
    release; one transaction."""
    sync(conn, config, now)
    return release(conn, ask, now)


def _report(config: ResolvedConfig, done: Released) -> None:
    cooling = cooling_off(config)
    for entry in done.already:
        print(f"{entry.number}: already released on {entry.released_at:%Y-%m-%d}")
    for entry in done.entries:
        where = f"{entry.campaign}/{entry.pool}" if entry.pool else entry.campaign
        lease = ", lease ended" if entry.number in done.leases_ended else ""
        print(f"released {entry.number} ({where}, {entry.role}{lease}); "
              f"free for another campaign from {free_at(entry, cooling):%Y-%m-%d}")
    count = len(done.entries)
    print(f"{count} number{'s' * (count != 1)} released; cooling off for {cooling.days} days")
    lines = places(config, [entry.number for entry in done.entries])
    if lines:
        print(f"Delete these from {config.path} (callserver never rewrites it; until then "
              "they stay out of service):")
        for place in lines:
            print(place)
        print("A running server stops showing them at its next reload.")


def _table(records: list[dict[str, Any]]) -> None:
    """The header alone when the filters match nothing, so the columns still say what was asked."""
    cells = [[_cell(c, r[c]) for c in _COLUMNS] for r in records]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(_COLUMNS)]
    for row in [list(_COLUMNS), *cells]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
              .rstrip())


def _cell(column: str, value: object) -> str:
    """Instants to the minute (UTC), nothing as a dash."""
    if value is None:
        return "-"
    return f"{str(value)[:16].replace('T', ' ')}Z" if column in _INSTANTS else str(value)
