"""Opaque page cursors: the (started_at, id) of the last call a page showed.

Lists run newest first, and the next page starts strictly after that pair, so a call inserted
while a client pages (always newer, or at worst at a position already passed) never shifts a
page: nothing is shown twice and nothing that existed is skipped.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from callserver.reports.filters import BadQuery
from callserver.store.columns import instant, parse_instant


@dataclass(frozen=True)
class Position:
    """`started_at` exactly as stored (UTC text), so comparison in SQL is exact."""

    started_at: str
    id: str


def encode(position: Position) -> str:
    raw = json.dumps([position.started_at, position.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(text: str) -> Position:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        started_at, call_id = json.loads(raw)
        if not (isinstance(started_at, str) and isinstance(call_id, str)
                and instant(parse_instant(started_at)) == started_at):
            raise ValueError(started_at)
    except (ValueError, TypeError, OverflowError, binascii.Error, RecursionError):
        raise BadQuery("cursor: not a cursor this server gave") from None
    return Position(started_at, call_id)
