"""`called_before` on SQLite and PostgreSQL alike: the caller's earlier ordinary calls to the
campaign in the window count; this call, test calls, other campaigns and other callers do not."""

from dataclasses import replace
from datetime import timedelta

from callserver.store import calls
from callserver.store.call_values import Call
from callserver.store.open import AnyStore
from callserver.store.repeat_callers import called_before
from tests.store.conftest import NOW

CALLER = "+13125550123"


def _call(call_id: str, days_ago: int, **changes: object) -> Call:
    row = Call(id=call_id, started_at=NOW - timedelta(days=days_ago), number="+18005550101",
               caller=CALLER, campaign="spring")
    return replace(row, **changes)  # type: ignore[arg-type]


async def test_only_the_callers_earlier_ordinary_calls_to_the_campaign_count(
        either: AnyStore) -> None:
    for row in (_call("old", 40), _call("test", 3, test=True), _call("fall", 2, campaign="fall"),
                _call("other", 1, caller="+13125550199"), _call("now", 0)):
        await either.write(calls.start, row)
    since = NOW - timedelta(days=30)
    assert not await either.read(called_before, "spring", CALLER, since, "now", NOW)
    await either.write(calls.start, _call("recent", 10))
    assert await either.read(called_before, "spring", CALLER, since, "now", NOW)
    assert not await either.read(called_before, "spring", CALLER, since, "recent",
                                 NOW - timedelta(days=10))
