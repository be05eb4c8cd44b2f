"""`callserver check FILE`: every error at once as `FILE:LINE: path: message`, then warnings,
then one line per campaign; `--json` gives the same as one JSON document for CI and editors.

Exits 0 when the file loads (warnings too, unless `--strict`), 2 when it does not.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from datetime import UTC, datetime
from typing import Any

from callserver.config.errors import ConfigError, ConfigIssue
from callserver.config.loader import load_config, load_or_report
from callserver.config.resolve import ResolvedConfig
from callserver.config.summary import campaign_lines
from callserver.numbers.gate import check

EXIT_CONFIG = 2


def add_parser(sub: Any) -> None:
    """`sub` is the `callserver` parser's subparsers action."""
    check = sub.add_parser("check", help="validate a config file (exit 0 or 2)")
    check.add_argument("file")
    check.add_argument("--db", help="also refuse what the number inventory in this store (SQLite "
                                     "file or postgresql:// URL) forbids (a number cooling off "
                                     "moved to another campaign)")
    check.add_argument("--strict", action="store_true",
                       help="refuse warnings too (what loads but is probably not meant)")
    check.add_argument("--json", action="store_true",
                       help="one JSON document: ok, errors, warnings, campaigns")


def run(args: argparse.Namespace) -> int:
    return _as_json(args) if args.json else _as_text(args)


def _as_text(args: argparse.Namespace) -> int:
    config = load_or_report(args.file)
    if config is None:
        return EXIT_CONFIG
    if args.db is not None and not check_inventory(config, args.db):
        return EXIT_CONFIG
    for warning in config.warnings:
        print(warning)
    for line in campaign_lines(config):
        print(line)
    if config.warnings:
        count = len(config.warnings)
        print(f"{count} warning{'s' * (count != 1)} in {args.file}"
              f"{' (refused: --strict)' if args.strict else ''}", file=sys.stderr)
    return EXIT_CONFIG if args.strict and config.warnings else 0


def _as_json(args: argparse.Namespace) -> int:
    errors: tuple[ConfigIssue, ...] = ()
    warnings: tuple[ConfigIssue, ...] = ()
    campaigns: list[str] = []
    try:
        config = load_config(args.file)
        if args.db is not None:
            errors = tuple(inventory_issues(config, args.db))
        warnings, campaigns = config.warnings, campaign_lines(config)
    except ConfigError as exc:
        errors = exc.issues
    refused = bool(errors) or (args.strict and bool(warnings))
    print(json.dumps({"file": args.file, "ok": not refused,
                      "errors": [issue.as_json() for issue in errors],
                      "warnings": [issue.as_json() for issue in warnings],
                      "campaigns": campaigns}, indent=2))
    return EXIT_CONFIG if refused else 0


def inventory_issues(config: ResolvedConfig, db: str) -> list[ConfigIssue]:
    """What the inventory in `db` refuses in `config`; a store that cannot be read is one
    issue, at the file's first line."""
    try:
        return list(check(db, config, datetime.now(UTC)))
    except (ValueError, sqlite3.Error) as exc:
        return [ConfigIssue(config.path, 1, "", f"{db}: {exc}")]


def check_inventory(config: ResolvedConfig, db: str) -> bool:
    """For `check --db`: print what the inventory refuses in `config` as `check` prints
    errors; True when it refuses nothing."""
    issues = inventory_issues(config, db)
    for issue in issues:
        print(issue)
    if issues:
        print(f"{len(issues)} error{'s' * (len(issues) != 1)} in {config.path}", file=sys.stderr)
    return not issues
