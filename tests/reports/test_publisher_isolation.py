"""A publisher's token sees its own calls only: in lists, by id, in every report group, in CSV,
and through every filter that names someone else's calls."""

from __future__ import annotations

import pytest

from callserver.reports.groups import COLUMNS, LOCAL, NUMBER_FACTS
from tests.reports.conftest import ACME, ADMIN, METRO, SEEDS, Api

MINE = {s.id for s in SEEDS if s.publisher == "acme"}
OTHERS = [s for s in SEEDS if s.publisher != "acme"]
GROUPS = [*COLUMNS, *NUMBER_FACTS, *LOCAL, "tag:channel"]


def naming(seed_id: str) -> list[dict[str, str]]:
    """Every filter that would select the call `seed_id`, given alone."""
    s = next(s for s in SEEDS if s.id == seed_id)
    chosen = [{"campaign": s.campaign}, {"number": s.number}, {"tag": f"channel:{s.channel}"},
              {"from": s.at, "to": "2026-12-31"}, {"status": (s.status or "in-progress")},
              {"converted": str(s.converted).lower()}]
    chosen += [{name: value} for name, value in (("source", s.source),
               ("publisher", s.publisher), ("sub_id", s.sub_id)) if value]
    return chosen


async def listed(api: Api, token: str, params: object) -> set[str]:
    body = await api.json("/api/calls", token, params)
    return {call["id"] for call in body["calls"]}


async def test_a_publisher_lists_only_its_own_calls(api: Api) -> None:
    assert await listed(api, ACME, ()) == MINE
    assert await listed(api, METRO, ()) == {"m1", "m2", "m3"}


@pytest.mark.parametrize("other", [s.id for s in OTHERS])
async def test_no_filter_reaches_another_publishers_call(api: Api, other: str) -> None:
    for params in naming(other):
        assert other in await listed(api, ADMIN, params), params
        assert await listed(api, ACME, params) <= MINE, params
        rows = await api.csv("/api/calls", ACME, params)
        assert {row["id"] for row in rows} <= MINE, params
        report = await api.json("/api/reports", ACME, {"group": "publisher", **params})
        assert {row["key"] for row in report["rows"]} <= {"acme"}, params


async def test_naming_another_publisher_selects_nothing(api: Api) -> None:
    for params in ({"publisher": "metro"}, [("publisher", "metro"), ("publisher", "acme")]):
        assert await listed(api, ACME, params) <= MINE
    assert await listed(api, ACME, {"publisher": "metro"}) == set()
    report = await api.json("/api/reports", ACME, {"publisher": "metro"})
    assert (report["rows"], report["total"]["calls"]) == ([], 0)


@pytest.mark.parametrize("other", [*(s.id for s in OTHERS), "no-such-call"])
async def test_another_publishers_call_id_is_not_found(api: Api, other: str) -> None:
    status, _, body = await api.get(f"/api/calls/{other}", ACME)
    assert (status, body) == (404, '{"error": "no such call"}')


async def test_own_call_by_id(api: Api) -> None:
    assert (await api.json("/api/calls/a2", ACME))["publisher"] == "acme"
    assert (await api.get("/api/calls/a2", METRO))[0] == 404


async def test_an_admin_cursor_does_not_widen_a_publishers_page(api: Api) -> None:
    first = await api.json("/api/calls", ADMIN, {"limit": "1"})
    assert await listed(api, ACME, {"cursor": first["next"]}) == MINE


@pytest.mark.parametrize("group", GROUPS)
async def test_every_report_group_counts_only_own_calls(api: Api, group: str) -> None:
    for token in (ACME, ADMIN):
        report = await api.json("/api/reports", token, {"group": group})
        calls = sum(row["calls"] for row in report["rows"])
        assert calls == report["total"]["calls"] == (3 if token == ACME else len(SEEDS))
    rows = await api.csv("/api/reports", ACME, {"group": group})
    assert sum(int(row["calls"]) for row in rows) == 3
    assert {row["spend"] for row in rows} == {""}


async def test_a_publisher_sees_no_spend(api: Api) -> None:
    """A monthly budget spread over a source's calls would tell how many calls others sent."""
    report = await api.json("/api/reports", METRO, {"group": "source"})
    tv = report["rows"][0]
    assert (tv["key"], tv["calls"], tv["converted"]) == ("tv", 3, 2)
    assert tv["spend"] is tv["cost_per_call"] is tv["cost_per_converted"] is None
    assert report["total"]["spend"] is None
    keys = {row["key"] for row in (await api.json("/api/reports", METRO,
                                                   {"group": "campaign"}))["rows"]}
    assert keys == {"spring"}
