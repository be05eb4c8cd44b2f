"""CSV cells a spreadsheet would run are neutralised; cursors round-trip and refuse forgeries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callserver.reports.cursor import Position, decode, encode
from callserver.reports.filters import BadQuery
from callserver.reports.records import cell
from callserver.store.columns import instant

stored_instants = st.datetimes(min_value=datetime(1000, 1, 1),
                               timezones=st.just(UTC)).map(instant)


@pytest.mark.parametrize(("value", "shown"), [
    (None, ""), (True, "true"), (False, "false"), (12.5, "12.5"), (-3, "-3"),
    ("+18005550101", "+18005550101"), ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
    ("@SUM(A1)", "'@SUM(A1)"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"), ("\tx", "'\tx"), ("plain", "plain"),
])
def test_cells(value: object, shown: str) -> None:
    assert cell(value) == shown


@given(stored_instants, st.text())
def test_cursor_round_trip(started_at: str, call_id: str) -> None:
    position = Position(started_at, call_id)
    assert decode(encode(position)) == position


@pytest.mark.parametrize("text", [
    "", "!!!", "bnVsbA", encode(Position("2026-03-02T14:00:00Z", "a1")),
    encode(Position("2026-03-02T14:00:00.000000+00:00", "a1")),
    "WzEsMl0", "WyIyMDI2LTAzLTAyVDE0OjAwOjAwLjAwMDAwMFoiXQ", "é",
])
def test_forged_cursors_are_refused(text: str) -> None:
    with pytest.raises(BadQuery, match="cursor: not a cursor this server gave"):
        decode(text)
