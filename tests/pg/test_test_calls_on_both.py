"""Test calls in the store, on SQLite and on PostgreSQL alike (`either`): the flag round-trips,
and caps, /metrics counts, call lists and reports leave them out unless asked; the probe's
look-up finds the test call before a customer's call of the same span."""

from datetime import timedelta

from callserver.probe.record import find_test_call
from callserver.reports import listing, summary
from callserver.reports.filters import CallFilter
from callserver.reports.groups import Group
from callserver.store import call_totals, calls
from callserver.store.call_values import CallStatus
from callserver.store.open import AnyStore
from tests.store.conftest import NOW
from tests.store.test_calls import ANSWERED, _call

NUMBER = "+18005550101"


async def _one_of_each(store: AnyStore) -> None:
    """call-1 a customer's, call-2 a test call a second later; both answered."""
    await store.write(calls.start, _call(1))
    await store.write(calls.start, _call(2, started_at=NOW + timedelta(seconds=1), test=True,
                                         session_id=None))
    for call_id in ("call-1", "call-2"):
        await store.write(calls.complete, call_id, ANSWERED)


async def test_the_test_flag_is_stored_and_read_back(either: AnyStore) -> None:
    await _one_of_each(either)
    found = [await either.read(calls.get, f"call-{n}") for n in (1, 2)]
    assert [call.test for call in found if call is not None] == [False, True]


async def test_test_calls_use_up_no_cap_and_are_not_in_the_metrics_counts(
        either: AnyStore) -> None:
    await _one_of_each(either)
    assert await either.read(call_totals.count_since, "number", NUMBER, NOW) == 1
    assert await either.read(call_totals.count_since, "campaign", "spring", NOW) == 1
    assert (await either.read(call_totals.count_by_status))[CallStatus.ANSWERED] == 1


async def test_lists_and_reports_leave_test_calls_out_unless_asked(either: AnyStore) -> None:
    await _one_of_each(either)

    async def listed(f: CallFilter) -> list[str]:
        return [call.id for call in (await either.read(listing.page, f, None, 10)).calls]

    async def counted(f: CallFilter) -> int:
        found = await either.read(summary.report, f, Group("campaign"), "UTC", None)
        return found.total.calls

    assert await listed(CallFilter()) == ["call-1"]
    assert await listed(CallFilter(test="include")) == ["call-2", "call-1"]
    assert await listed(CallFilter(test="only")) == ["call-2"]
    assert [await counted(CallFilter(test=t)) for t in ("exclude", "include", "only")] == [
        1, 2, 1]


async def test_the_probe_finds_its_test_call_before_a_customers(either: AnyStore) -> None:
    await _one_of_each(either)
    found = await either.read(find_test_call, NUMBER, NOW, NOW + timedelta(seconds=5))
    assert found is not None and found.id == "call-2"
    customers = _call(3, started_at=NOW + timedelta(hours=1))
    await either.write(calls.start, customers)
    alone = await either.read(find_test_call, NUMBER, customers.started_at,
                              customers.started_at)
    assert alone is not None and alone.id == "call-3"  # no test call then: the old look-up
