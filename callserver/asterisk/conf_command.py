"""`callserver asterisk-conf`: render Asterisk's files for a config into a directory.

Credentials come from the environment at render time (CALLSERVER_AMI_SECRET, each sip
target's `auth_env`), so the written files can hold secrets: they are written owner-only.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from callserver.asterisk.conf import ConfOptions, Rendered, render
from callserver.config.loader import load_or_report

EXIT_CONFIG = 2
EXIT_WRITE = 1
PROG = "callserver asterisk-conf"


def add_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Register the sub-command on `callserver`'s sub-parsers."""
    parser = subparsers.add_parser(
        "asterisk-conf", help="render extensions.conf, manager.conf and pjsip.conf",
        description=__doc__)
    parser.add_argument("--config", required=True, help="campaign YAML file")
    parser.add_argument("--out", required=True, type=Path, help="directory to write into")
    parser.add_argument("--agi-host", action="append", metavar="HOST",
                        help="where Asterisk reaches callserver's FastAGI; repeat (or give a "
                             "comma list) for several nodes, tried in order (default 127.0.0.1)")
    parser.add_argument("--agi-port", type=int, default=4573)
    parser.add_argument("--callserver-host", action="append", metavar="IP",
                        help="address callserver logs in to AMI from; repeat for several "
                             "nodes (default 127.0.0.1)")
    parser.add_argument("--ami-user", help="AMI user name (default: CALLSERVER_AMI_USER, "
                                           "else callserver)")
    return parser


def run(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    config = load_or_report(args.config)
    if config is None:
        return EXIT_CONFIG
    try:
        options = ConfOptions(
            agi_hosts=agi_hosts(args.agi_host), agi_port=args.agi_port,
            callserver_hosts=tuple(args.callserver_host or ("127.0.0.1",)),
            ami_user=args.ami_user or env.get("CALLSERVER_AMI_USER") or "callserver")
    except ValueError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    rendered = render(config, options, env)
    for warning in rendered.warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    try:
        write_files(rendered, args.out)
    except OSError as exc:
        print(f"{PROG}: cannot write to {args.out}: {exc}", file=sys.stderr)
        return EXIT_WRITE
    for name in rendered.files:
        print(args.out / name)
    return 0


def agi_hosts(given: list[str] | None) -> tuple[str, ...]:
    """`--agi-host a --agi-host b,c` -> (a, b, c), in the order Asterisk is to try them."""
    if not given:
        return ("127.0.0.1",)
    return tuple(host.strip() for item in given for host in item.split(","))


def write_files(rendered: Rendered, out: Path) -> None:
    """Each file replaced whole (never half-written), readable by its owner only."""
    out.mkdir(parents=True, exist_ok=True)
    for name, text in rendered.files.items():
        fd, temp = tempfile.mkstemp(dir=out, prefix=f".{name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, out / name)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
