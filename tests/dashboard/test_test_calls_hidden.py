"""The dashboard leaves test calls (from `monitor.caller_id`) out of every page's calls and
figures, as the API does; the call log shows them when its filter asks."""

from __future__ import annotations

from dataclasses import replace

from callserver.store import calls
from tests.dashboard.conftest import ADMIN, Client, Dash, metro

TEST_ID = "monitor-test-call"


async def test_test_calls_are_left_out_of_the_pages_unless_the_log_asks(
        dash: Dash, client: Client) -> None:
    await client.sign_in(ADMIN)
    _, before = await client.get("/dashboard/today")
    _, sources_before = await client.get("/dashboard/sources")
    seeded = metro(TEST_ID, "2026-03-02T18:00:00+00:00", talk=120, converted=True)
    await dash.store.write(calls.start, replace(seeded.call(), test=True), durable=True)
    end = seeded.end()
    assert end is not None
    assert await dash.store.write(calls.complete, TEST_ID, end, durable=True)

    _, today = await client.get("/dashboard/today")
    assert TEST_ID not in today and today == before
    _, sources = await client.get("/dashboard/sources")
    assert sources == sources_before
    _, log = await client.get("/dashboard/calls")
    assert f'data-call="{TEST_ID}"' not in log and "data-call=" in log
    _, asked = await client.get("/dashboard/calls?test=only")
    assert asked.count("data-call=") == 1 and f'data-call="{TEST_ID}"' in asked
    assert '<option value="only" selected>' in asked
