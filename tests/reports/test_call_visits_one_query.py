"""A page of calls, visits included, is one statement however many calls it shows: the
sessions are joined in, never fetched call by call."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from callserver.reports import listing
from callserver.reports.filters import CallFilter
from callserver.store import open_store
from callserver.store.call_visits import CallVisit
from tests.reports.visits import VISITED, seed_visits


def _traced(read: Callable[[sqlite3.Connection], Any]) -> Callable[[sqlite3.Connection],
                                                                 tuple[Any, list[str]]]:
    """`read` run with every statement it sends to SQLite recorded."""
    def run(conn: sqlite3.Connection) -> tuple[Any, list[str]]:
        sent: list[str] = []
        conn.set_trace_callback(sent.append)
        try:
            return read(conn), sent
        finally:
            conn.set_trace_callback(None)
    return run


async def test_a_page_and_a_call_are_one_statement_each(tmp_path: Path) -> None:
    store = await open_store(tmp_path / "callserver.sqlite3")
    try:
        await seed_visits(store)
        page, sent = await store.read(_traced(
            lambda conn: listing.page(conn, CallFilter(), None, 10)))
        assert len(page.visits) == len(VISITED)
        assert sum(v.visit is not None for v in page.visits) == 3
        assert len(sent) == 1, sent
        one, sent = await store.read(_traced(lambda conn: listing.find(conn, "va1", None)))
        assert isinstance(one, CallVisit) and one.visit is not None and len(sent) == 1
    finally:
        await store.close()
