"""`callserver test-call`: prove a tracking number answers and is routed as expected.

The call's record is read from the store (`--db`, opened read-only: a SQLite file or a
PostgreSQL URL, as `serve` takes it) rather than through the HTTP API: it is the same
repository query the monitor runs inside `serve`, it needs no admin token on this command's
environment, and SQLite's WAL lets it read while `serve` writes. Run it on the callserver
host, which reaches the PBX's SIP side anyway.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from callserver.config.phone import to_e164
from callserver.hostport import HostPort
from callserver.numbers.database import read_only, reading
from callserver.probe.account import SipAccount, local_side
from callserver.probe.observation import Timing
from callserver.probe.record import Lookup, find_test_call
from callserver.probe.verdict import Spec, verdict_json
from callserver.store.call_values import Call
from callserver.store.open import is_postgres, sqlite_path

EXIT_FAILED, EXIT_USAGE = 1, 2
DIGITS = frozenset("0123456789*#")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               hostport: Callable[[int], Callable[[str], HostPort]]) -> None:
    parser = sub.add_parser("test-call", help="call a tracking number over SIP and report how "
                                              "callserver routed it (exit 1 if it failed)")
    parser.add_argument("number", help="the tracking number to call")
    parser.add_argument("--digits", default="", help="keys to send as RFC 2833 events")
    parser.add_argument("--expect-target", metavar="T", help="fail unless the call reaches T")
    parser.add_argument("--server", type=hostport(5060), default=HostPort("127.0.0.1", 5060),
                        help="the PBX's SIP HOST:PORT (account from CALLSERVER_TESTCALL_USER "
                             "and CALLSERVER_TESTCALL_SECRET)")
    parser.add_argument("--db", default="callserver.sqlite3",
                        help="serve's store: its SQLite file or postgresql:// URL")
    parser.add_argument("--local-port", type=int, default=0, help="local SIP port (0: any)")
    parser.add_argument("--register-timeout", type=float, default=Timing.register_s)
    parser.add_argument("--answer-timeout", type=float, default=Timing.answer_s)
    parser.add_argument("--audio-timeout", type=float, default=Timing.audio_s,
                        help="seconds after the answer by which the greeting must start")
    parser.add_argument("--record-timeout", type=float, default=Timing.record_s,
                        help="seconds after hang-up to wait for the call record")


def run(args: argparse.Namespace) -> int:
    try:
        spec = Spec(to_e164(args.number), args.digits, args.expect_target)
        if not set(args.digits) <= DIGITS:
            raise ValueError(f"--digits {args.digits!r}: use 0-9, * and #")
        if not is_postgres(args.db) and not Path(sqlite_path(args.db)).is_file():
            raise ValueError(f"no database at {args.db} (give serve's --db)")
        account = SipAccount.from_env(args.server, os.environ)
        local = local_side(args.server, args.local_port)
    except (ValueError, OSError) as exc:
        print(f"callserver test-call: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from callserver.probe.run import run_test_call  # loads the SIP library

    timing = Timing(register_s=args.register_timeout, answer_s=args.answer_timeout,
                    audio_s=args.audio_timeout, record_s=args.record_timeout)
    verdict = asyncio.run(run_test_call(account, local, spec, timing, record_lookup(args.db)))
    print(json.dumps(verdict_json(verdict), indent=2))
    return 0 if verdict.ok else EXIT_FAILED


def record_lookup(db: str) -> Lookup:
    """How the test call finds its record: in one read snapshot of `db`, off the event loop."""
    def read(number: str, placed_at: datetime, ended_at: datetime) -> Call | None:
        with read_only(db) as conn:
            return None if conn is None else reading(conn, find_test_call, number, placed_at,
                                                     ended_at)

    async def lookup(number: str, placed_at: datetime, ended_at: datetime) -> Call | None:
        return await asyncio.to_thread(read, number, placed_at, ended_at)

    return lookup
