"""`callserver db migrate --from sqlite:///PATH --to postgresql://...`: move a store to PostgreSQL.

The PostgreSQL store is migrated to this release's schema first, then every table of the SQLite
store is copied in one transaction (see `callserver.store.copy`); a target that is not empty or
at another version is refused with nothing written. Stop `callserver serve` on the SQLite file
first: what it writes after the copy's snapshot is not copied.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys

from callserver.numbers.database import connected_pg, read_only, reading, write
from callserver.store.copy import Copied, CopyRefused, copy_store
from callserver.store.open import is_postgres

EXIT_FAILED = 2


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = sub.add_parser("db", help="store operations: move a SQLite store to PostgreSQL")
    actions = db.add_subparsers(dest="action", required=True)
    move = actions.add_parser(
        "migrate", help="copy a SQLite store into an empty PostgreSQL store",
        description="Migrate the PostgreSQL store to this release's schema, then copy every "
                    "table of the SQLite store into it in one transaction. Stop the server on "
                    "the SQLite file first.")
    move.add_argument("--from", dest="source", required=True, metavar="sqlite:///PATH",
                      help="the SQLite store (a path works too); read only")
    move.add_argument("--to", dest="target", required=True, metavar="postgresql://...",
                      help="an empty PostgreSQL database: USER@HOST:PORT/DB, password in "
                           "PGPASSWORD")


def run(args: argparse.Namespace) -> int:
    if is_postgres(args.source) or not is_postgres(args.target):
        print("callserver db migrate: --from names a SQLite store (sqlite:///PATH or a path), "
              "--to a PostgreSQL one (postgresql://USER@HOST:PORT/DB)", file=sys.stderr)
        return EXIT_FAILED
    try:
        copied = _migrate(args.source, args.target)
    except CopyRefused as refused:
        print(f"callserver db migrate: refused: {refused}", file=sys.stderr)
        return EXIT_FAILED
    except (OSError, ValueError, sqlite3.Error) as exc:
        print(f"callserver db migrate: {exc}", file=sys.stderr)
        return EXIT_FAILED
    width = max(len(c.table) for c in copied)
    for done in copied:
        print(f"{done.table.ljust(width)}  {done.rows} rows")
    print(f"copied {sum(c.rows for c in copied)} rows in {len(copied)} tables to {args.target}")
    return 0


def _migrate(source: str, target: str) -> list[Copied]:
    """The copy as one durable write of the target, inside one read snapshot of the source."""
    with read_only(source) as sqlite:
        if sqlite is None:
            raise CopyRefused(f"no SQLite store at {source}")
        with connected_pg(target) as pg:
            return reading(sqlite, lambda snapshot: write(pg, copy_store, snapshot))
