"""The `callserver` command: serve, check, schema, simulate, numbers, db, asterisk-conf,
snippet, snippet-test, match, test-call."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence

from callserver import (
    __version__,
    check_command,
    db_command,
    match_command,
    numbers_command,
    snippet_command,
    snippet_tag_command,
    testcall_command,
)
from callserver.asterisk import conf_command
from callserver.hostport import HostPort, parse_hostport


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="callserver", description=__doc__)
    parser.add_argument("--version", action="version", version=f"callserver {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP, FastAGI and AMI sides")
    serve.add_argument("--config", required=True, help="campaign YAML file")
    serve.add_argument("--db", default="callserver.sqlite3",
                       help="SQLite file, or postgresql://USER@HOST:PORT/DB (password in "
                            "PGPASSWORD) (callserver.sqlite3 in the current directory)")
    serve.add_argument("--http", type=_hostport(8080), default=HostPort("127.0.0.1", 8080),
                       metavar="HOST:PORT", help="HTTP: API, swap, dashboard (127.0.0.1:8080)")
    serve.add_argument("--agi", type=_hostport(4573), default=HostPort("127.0.0.1", 4573),
                       metavar="HOST:PORT", help="FastAGI, for Asterisk (127.0.0.1:4573)")
    serve.add_argument("--ami", type=_hostport(5038), default=HostPort("127.0.0.1", 5038),
                       metavar="HOST:PORT", help="Asterisk's AMI, followed once "
                       "CALLSERVER_AMI_USER and _SECRET are set (127.0.0.1:5038)")
    serve.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING (INFO)")

    check_command.add_parser(sub)

    sim = sub.add_parser("simulate", help="run a call through the flow and print each decision")
    sim.add_argument("--config", required=True)
    sim.add_argument("--to", required=True, help="the tracking number dialled")
    sim.add_argument("--from", dest="caller", required=True, help="the caller's number")
    sim.add_argument("--at", help="ISO-8601 instant (default: now)")
    sim.add_argument("--digits", default="", help="keys pressed, one per IVR menu")
    sim.add_argument("--busy", nargs="+", action="extend", default=[], metavar="TARGET",
                     help="targets that answer busy (several, or the option repeated)")
    sim.add_argument("--no-answer", nargs="+", action="extend", default=[], metavar="TARGET",
                     help="targets that ring out unanswered (several, or the option repeated)")
    sim.add_argument("--counts", help='JSON: {"campaign:NAME": {"day": 12, "block": 3}, ...} '
                                      '("block": calls in the block of the day in force); '
                                      '"rotation": {"CAMPAIGN:T1,T2": 1} puts a round-robin '
                                      "list at that turn")
    sim.add_argument("--record", action="store_true", help="write the call to the store")
    sim.add_argument("--db", help="serve's store, a SQLite file or a postgresql:// URL: a "
                                  "number it released is routed as serve would, and --record "
                                  "writes the call there")

    conf_command.add_parser(sub)
    numbers_command.add_parser(sub)
    db_command.add_parser(sub)
    snippet_command.add_parser(sub)
    match_command.add_parser(sub)
    snippet_tag_command.add_parser(sub)
    testcall_command.add_parser(sub, _hostport)

    schema = sub.add_parser("schema", help="print the config's JSON Schema")
    schema.add_argument("--markdown", action="store_true", help="the field reference instead")
    return parser


def _hostport(default_port: int) -> Callable[[str], HostPort]:
    def parse(text: str) -> HostPort:
        try:
            return parse_hostport(text, default_port)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:
        # The reader stopped reading (`| head`): what the command did stands, so no error
        # and no exit status that says it failed; stdout is dropped so the flush at exit
        # does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        return check_command.run(args)
    if args.command == "schema":
        return _schema(markdown=args.markdown)
    if args.command == "simulate":
        from callserver.simulate_command import simulate

        return simulate(args)
    if args.command == "asterisk-conf":
        return conf_command.run(args)
    if args.command == "snippet-test":
        return snippet_command.run(args)
    if args.command == "snippet":
        return snippet_tag_command.run(args)
    if args.command == "match":
        return match_command.run(args)
    if args.command == "numbers":
        return numbers_command.run(args)
    if args.command == "db":
        return db_command.run(args)
    if args.command == "test-call":
        return testcall_command.run(args)
    if args.command == "serve":
        from callserver.serve import serve

        return serve(args)
    raise AssertionError(args.command)


def _schema(*, markdown: bool) -> int:
    from callserver.config.reference import json_schema, markdown_reference

    text = markdown_reference() if markdown else json.dumps(json_schema(), indent=2) + "\n"
    sys.stdout.write(text)
    return 0
