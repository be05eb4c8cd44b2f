"""The call, outbox, inventory and report queries that tests/store leaves out, on SQLite and on
PostgreSQL alike (`either`); a statement that is SQLite's own is marked with why it fails."""

from dataclasses import replace
from datetime import timedelta

import pytest

from callserver.config.schema.sources import Cost
from callserver.numbers.plan import Entry
from callserver.reports import listing, summary
from callserver.reports.filters import CallFilter
from callserver.reports.groups import Group
from callserver.store import call_totals, calls, inventory, outbox
from callserver.store.call_values import CallEnd, CallStatus, FlowNotes
from callserver.store.delivery_values import DeliveryStatus
from callserver.store.open import AnyStore
from tests.store.conftest import NOW
from tests.store.test_calls import ANSWERED, _call
from tests.store.test_outbox import HOLD, _delivery

ENTRY = Entry("+18005550101", "toll-free", "US", "", "spring", None, "static", NOW)


async def _calls(store: AnyStore) -> None:
    for n in range(4):
        await store.write(calls.start, _call(n, started_at=NOW + timedelta(minutes=n),
                                             tags={"channel": "search" if n % 2 else "social"}))
    await store.write(calls.complete, "call-1", ANSWERED)
    await store.write(calls.complete, "call-2", CallEnd(CallStatus.CAPPED, NOW))


async def test_a_call_finishes_once_and_hangup_facts_fill_blanks(either: AnyStore) -> None:
    await either.write(calls.start, _call(1))
    notes = FlowNotes(("1",), {"dept": "sales"}, {"plan": []})
    done = await either.write(calls.finish, "call-1", CallEnd(CallStatus.NO_ANSWER, NOW), notes)
    assert done is not None and done.ivr_path == ("1",)
    assert await either.write(calls.finish, "call-1", ANSWERED, notes) is None
    assert await either.write(calls.set_hangup, "call-1", ANSWERED)
    after = await either.read(calls.get, "call-1")
    assert after is not None and after.end == CallEnd(
        CallStatus.NO_ANSWER, NOW, ring_seconds=12.0, hangup_cause="16")
    counts = await either.read(call_totals.count_by_status)
    assert (counts[CallStatus.NO_ANSWER], counts[CallStatus.ANSWERED]) == (1, 0)


async def test_a_cap_count_stops_at_its_limit(either: AnyStore) -> None:
    await _calls(either)
    assert await either.read(call_totals.count_since, "number", "+18005550101", NOW, 2) == 2


async def test_outbox_listing_counts_and_requeue(either: AnyStore) -> None:
    for n in range(3):
        await either.write(outbox.enqueue, _delivery(n))
    await either.write(outbox.claim_due, NOW, HOLD, 1)
    await either.write(outbox.park, "msg-0", NOW, "HTTP 410")
    assert [d.id for d in await either.read(outbox.with_status, DeliveryStatus.PENDING, 5)] == [
        "msg-2", "msg-1"]
    assert (await either.read(outbox.count_by_status))[DeliveryStatus.PARKED] == 1
    assert await either.write(outbox.requeue, "msg-0", NOW)
    requeued = await either.read(outbox.get, "msg-0")
    assert requeued is not None and (requeued.status, requeued.attempts) == ("pending", 0)


async def test_the_inventory_saves_and_reads_entries(either: AnyStore) -> None:
    released = replace(ENTRY, number="+18005550102", released_at=NOW, listed=False)
    await either.write(inventory.save, [ENTRY, released])
    await either.write(inventory.save, [replace(ENTRY, campaign="autumn")])
    assert await either.read(inventory.entries) == {
        ENTRY.number: replace(ENTRY, campaign="autumn"), released.number: released}
    assert await either.read(inventory.get, released.number) == released


async def test_stray_calls_to_released_numbers_are_counted(either: AnyStore) -> None:
    await either.write(calls.start, _call(1, end=CallEnd(CallStatus.RELEASED, NOW)))
    assert await either.read(inventory.stray_calls, ["+18005550101"]) == {"+18005550101": 1}


async def test_the_inventory_exists(either: AnyStore) -> None:
    assert await either.read(inventory.exists)


async def test_a_call_list_filtered_by_tag_pages_newest_first(either: AnyStore) -> None:
    await _calls(either)
    social = CallFilter(tags=(("channel", "social"),))
    first = await either.read(listing.page, social, None, 1)
    assert [c.id for c in first.calls] == ["call-2"]
    rest = await either.read(listing.page, social, first.next, 5)
    assert ([c.id for c in rest.calls], rest.next) == (["call-0"], None)
    assert await either.read(listing.find, "call-1", "someone-else") is None


async def test_an_unfiltered_call_list(either: AnyStore) -> None:
    await _calls(either)
    page = await either.read(listing.page, CallFilter(), None, 10)
    assert [c.id for c in page.calls] == ["call-3", "call-2", "call-1", "call-0"]


async def test_a_report_by_local_day_with_spend(either: AnyStore) -> None:
    await _calls(either)
    found = await either.read(summary.report, CallFilter(campaigns=("spring",)), Group("day"),
                              "America/New_York", {"google-ads": Cost(per_call=2.0)})
    (day, totals), = found.rows
    assert (day, totals.calls, totals.answered, totals.spend) == ("2026-03-02", 4, 1, 8.0)


@pytest.mark.parametrize(("group", "keys"), [
    (Group("hour"), ["2026-03-02T10:00-05:00"]),
    (Group("tag:channel", "channel"), ["search", "social"]),
    (Group("publisher"), ["acme"]),
])
async def test_a_report_by_local_hour_and_by_tag(
    either: AnyStore, group: Group, keys: list[str]
) -> None:
    await _calls(either)
    found = await either.read(summary.report, CallFilter(), group, "America/New_York", None)
    assert [key for key, _ in found.rows] == keys
    assert found.total.calls == 4
