from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callserver.store.columns import instant, parse_instant

aware = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=9))]),
)


def test_an_instant_is_stored_as_utc_text() -> None:
    chicago_winter = timezone(timedelta(hours=-6))
    assert instant(datetime(2026, 1, 5, 9, 0, tzinfo=chicago_winter)) == (
        "2026-01-05T15:00:00.000000Z"
    )


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        instant(datetime(2026, 1, 5, 9, 0))


@given(aware, aware)
def test_text_order_is_time_order_and_round_trips(a: datetime, b: datetime) -> None:
    assert (instant(a) < instant(b)) == (a < b)
    assert parse_instant(instant(a)) == a
    assert parse_instant(instant(a)).tzinfo is UTC
