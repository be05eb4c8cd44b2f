"""`GET /api/calls` and `GET /api/calls/{id}` over HTTP: filters, pages, CSV and refusals."""

from __future__ import annotations

import pytest

from callserver.reports.listing import PAGE_MAX
from callserver.reports.visit_fields import VISIT_COLUMNS
from callserver.store.call_values import CallStatus
from tests.reports.conftest import SEEDS, Api, acme, metro, seed

NEWEST_FIRST = [s.id for s in sorted(SEEDS, key=lambda s: s.at, reverse=True)]


async def ids(api: Api, params: object = ()) -> list[str]:
    return [call["id"] for call in (await api.json("/api/calls", params=params))["calls"]]


async def test_lists_every_call_newest_first_with_its_trace(api: Api) -> None:
    body = await api.json("/api/calls")
    assert [call["id"] for call in body["calls"]] == NEWEST_FIRST
    assert body["next"] is None
    a1 = next(call for call in body["calls"] if call["id"] == "a1")
    assert a1 == {
        "id": "a1", "started_at": "2026-03-02T14:00:00.000000Z", "status": "answered",
        "number": "+18005550101", "caller": "+14155550123", "campaign": "spring",
        "source": "google-ads", "publisher": "acme", "sub_id": "a1",
        "tags": {"channel": "search"}, "ivr_path": [],
        "answered_at": "2026-03-02T14:00:10.000000Z", "ended_at": "2026-03-02T14:02:10.000000Z",
        "ring_seconds": 10.0, "talk_seconds": 120.0, "answered_target": "sales",
        "converted": True, "hangup_cause": None, "recording": None, "voicemail": None,
        "revenue": None, "payout": None,
        "session_id": None,
        "merged": False, "attribution": None, "uniqueid": None, "linkedid": None, "test": False,
        **dict.fromkeys(VISIT_COLUMNS), "trace": {"seeded": "a1"}}
    n2 = next(call for call in body["calls"] if call["id"] == "n2")
    assert (n2["status"], n2["ended_at"], n2["converted"]) == ("in-progress", None, False)


@pytest.mark.parametrize(("params", "expected"), [
    ({"campaign": "fall"}, {"n1", "n2"}),
    ([("campaign", "fall"), ("campaign", "spring")], {s.id for s in SEEDS}),
    ({"source": "tv"}, {"m1", "m2", "m3", "n1"}),
    ({"publisher": "metro"}, {"m1", "m2", "m3"}),
    ({"sub_id": "a1"}, {"a1", "a2", "a3"}),
    ({"status": "busy"}, {"m2"}),
    ({"status": "in-progress"}, {"n2"}),
    ({"converted": "true"}, {"a1", "m1", "m3"}),
    ({"converted": "false", "campaign": "spring"}, {"a2", "a3", "m2"}),
    ({"number": "(888) 555-0104"}, {"n1", "n2"}),
    ({"tag": "channel:tv"}, {"m1", "m2", "m3", "n1"}),
    ([("tag", "channel:tv"), ("tag", "channel:radio")], set()),
    ({"tag": "missing:x"}, set()),
    ({"from": "2026-03-05T20:00:00Z"}, {"m2", "m3", "n1", "n2"}),
    ({"to": "2026-03-02T14:10:00Z"}, {"a1"}),
    # New York's 31 March ends at 04:00 UTC on 1 April: m3 is inside, as local time says.
    ({"from": "2026-03-31", "to": "2026-04-01"}, {"m3"}),
    ({"from": "2026-03-02T09:30:00-05:00", "to": "2026-03-02T10:31"}, {"a2"}),
])
async def test_filters(api: Api, params: object, expected: set[str]) -> None:
    assert set(await ids(api, params)) == expected


async def test_pages_follow_the_cursor_to_the_end(api: Api) -> None:
    seen: list[str] = []
    params: dict[str, str] = {"limit": "3"}
    while True:
        body = await api.json("/api/calls", params=params)
        assert len(body["calls"]) <= 3
        seen += [call["id"] for call in body["calls"]]
        if body["next"] is None:
            break
        params["cursor"] = body["next"]
    assert seen == NEWEST_FIRST


async def test_pages_are_stable_under_inserts(api: Api) -> None:
    first = await api.json("/api/calls", params={"limit": "3"})
    # While the client pages: newer calls, a call at the very instant of the cursor's call
    # (ties break on id), and an old call behind the pages already read.
    await seed(api.store, acme("z-new", "2026-05-01T00:00:00+00:00"),
               metro("a0-tie", "2026-03-10T12:00:00+00:00"),
               acme("old", "2026-01-01T00:00:00+00:00"))
    rest: list[str] = []
    cursor = first["next"]
    while cursor is not None:
        body = await api.json("/api/calls", params={"limit": "3", "cursor": cursor})
        rest += [call["id"] for call in body["calls"]]
        cursor = body["next"]
    shown = [call["id"] for call in first["calls"]] + rest
    assert len(shown) == len(set(shown))
    assert set(NEWEST_FIRST) <= set(shown)
    assert "z-new" not in shown


async def test_one_call(api: Api) -> None:
    assert (await api.json("/api/calls/m1"))["trace"] == {"seeded": "m1"}
    status, _, body = await api.get("/api/calls/nope")
    assert (status, body) == (404, '{"error": "no such call"}')


async def test_csv_export_streams_every_matching_call(api: Api) -> None:
    await seed(api.store, *(acme(f"bulk{i:04d}", f"2026-02-01T00:{i // 60:02d}:{i % 60:02d}Z")
                            for i in range(PAGE_MAX + 20)))
    rows = await api.csv("/api/calls", params={"sub_id": "a1"})
    assert len(rows) == PAGE_MAX + 23
    assert [row["id"] for row in rows[:3]] == ["a3", "a2", "a1"]
    assert rows[0]["status"] == CallStatus.NO_ANSWER
    assert rows[1]["tags"] == '{"channel":"search"}'
    assert (rows[2]["talk_seconds"], rows[2]["converted"]) == ("120.0", "true")
    status, kind, body = await api.get("/api/calls", params={"format": "csv", "limit": "1"})
    assert (status, kind) == (200, "text/csv") and len(body.splitlines()) == len(rows) + 6


async def test_format_json_wins_over_accept(api: Api) -> None:
    status, kind, _ = await api.get("/api/calls", params={"format": "json"},
                                    headers={"Accept": "text/csv"})
    assert (status, kind) == (200, "application/json")


@pytest.mark.parametrize(("params", "reason"), [
    ({"from": "yesterday"}, "from: expected ISO-8601"),
    ({"to": "0001-01-01T00:00:00+05:00"}, "to: expected ISO-8601"),
    ({"from": "0999-12-31"}, "from: year before 1000"),
    ({"from": "2026-03-02", "to": "2026-03-01"}, "from: after to"),
    ([("from", "2026-03-01"), ("from", "2026-03-02")], "from: give it once"),
    ({"limit": "0"}, "limit: expected"),
    ({"limit": str(PAGE_MAX + 1)}, "limit: expected"),
    ({"limit": "²"}, "limit: expected"),
    ({"limit": "9" * 5000}, "limit: expected"),
    ({"status": "won"}, "status: expected one of in-progress, answered"),
    ({"converted": "yes"}, "converted: expected true or false"),
    ({"number": "call me"}, "number: 'call me' is not a phone number"),
    ({"tag": "channel"}, "tag: expected KEY:VALUE"),
    ({"tag": 'a"b:c'}, "tag: expected KEY:VALUE"),
    ({"campaign": ""}, "campaign: empty"),
    ({"cursor": "bm90IGEgY3Vyc29y"}, "cursor: not a cursor"),
    ({"format": "xml"}, "format: expected json or csv"),
    ({"campain": "spring"}, "campain: unknown parameter"),
    ({"group": "source"}, "group: unknown parameter"),
])
async def test_bad_parameters_are_400_with_a_reason(api: Api, params: object,
                                                     reason: str) -> None:
    status, kind, body = await api.get("/api/calls", params=params)
    assert (status, kind) == (400, "application/json")
    assert reason in body


async def test_tokens(api: Api) -> None:
    assert (await api.get("/api/calls", token=None))[0] == 401
    assert (await api.get("/api/calls", token="wrong"))[0] == 401
    assert (await api.get("/api/calls/a1", token="wrong"))[0] == 401
    assert (await api.get("/api/calls/a1", params={"x": "1"}))[0] == 400
