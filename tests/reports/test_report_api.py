"""`GET /api/reports`: counts, rates, talk time and spend per group, checked by hand.

Seeded March (New York): google-ads costs 12.50 a call (a1..a3); tv's 900 monthly budget is
spread over its four March calls (m1, m2, m3, n1), 225 each, whatever a report filters.
"""

from __future__ import annotations

from typing import Any

import pytest

from callserver.store.call_values import CallStatus
from tests.reports.conftest import METRO, Api, Seed, acme, metro, seed

MONEYLESS = {"revenue": 0.0, "payout": 0.0}  # no seeded call earned any (see test_money_api)


async def rows(api: Api, group: str, **filters: str) -> dict[str | None, dict[str, Any]]:
    body = await api.json("/api/reports", params={"group": group, **filters})
    return {row.pop("key"): row for row in body["rows"]}


async def test_by_source_with_spend(api: Api) -> None:
    body = await api.json("/api/reports", params={"group": "source"})
    assert (body["group"], body["timezone"]) == ("source", "America/New_York")
    assert body["rows"] == [
        {"key": "google-ads", "calls": 3, "answered": 2, "converted": 1,
         "conversion_rate": 0.3333, "avg_talk_seconds": 75.0, "spend": 37.5,
         "cost_per_call": 12.5, "cost_per_converted": 37.5, **MONEYLESS, "margin": -37.5},
        {"key": "radio", "calls": 1, "answered": 0, "converted": 0, "conversion_rate": 0.0,
         "avg_talk_seconds": None, "spend": 0.0, "cost_per_call": 0.0,
         "cost_per_converted": None, **MONEYLESS, "margin": 0.0},
        {"key": "tv", "calls": 4, "answered": 3, "converted": 2, "conversion_rate": 0.5,
         "avg_talk_seconds": 120.0, "spend": 900.0, "cost_per_call": 225.0,
         "cost_per_converted": 450.0, **MONEYLESS, "margin": -900.0},
    ]
    assert body["total"] == {
        "calls": 8, "answered": 5, "converted": 3, "conversion_rate": 0.375,
        "avg_talk_seconds": 102.0, "spend": 937.5, "cost_per_call": 117.19,
        "cost_per_converted": 312.5, **MONEYLESS, "margin": -937.5}


async def test_a_monthly_budget_is_spread_over_all_the_sources_calls(api: Api) -> None:
    by_campaign = await rows(api, "campaign")
    assert {k: (r["calls"], r["spend"]) for k, r in by_campaign.items()} == {
        "fall": (2, 225.0), "spring": (6, 712.5)}
    # A filter narrows the calls shown, not the calls the budget is spread over.
    spring_tv = await rows(api, "source", campaign="spring", source="tv")
    assert (spring_tv["tv"]["calls"], spring_tv["tv"]["spend"]) == (3, 675.0)


async def test_each_month_spreads_its_own_budget(api: Api) -> None:
    await seed(api.store, metro("apr1", "2026-04-10T12:00:00Z"),
               metro("apr2", "2026-04-11T12:00:00Z"))
    tv = (await rows(api, "source", source="tv"))["tv"]
    assert (tv["calls"], tv["spend"]) == (6, 1800.0)
    april = (await rows(api, "source", source="tv", **{"from": "2026-04-01"}))["tv"]
    assert (april["calls"], april["spend"], april["cost_per_call"]) == (2, 900.0, 450.0)


@pytest.mark.parametrize(("group", "expected"), [
    ("publisher", {"acme": 3, "metro": 3, None: 2}),
    ("sub_id", {"a1": 3, "m1": 3, None: 2}),
    ("number", {"+18005550101": 3, "+13125550110": 3, "+18885550104": 2}),
    ("kind", {"toll-free": 5, "local": 3}),
    ("region", {"Chicago, IL": 3, None: 5}),
    ("tag:channel", {"search": 3, "tv": 4, "radio": 1}),
    ("tag:nothing", {None: 8}),
    ("day", {"2026-03-02": 3, "2026-03-03": 1, "2026-03-05": 1, "2026-03-10": 2,
             "2026-03-31": 1}),
    ("hour", {"2026-03-02T09:00-05:00": 2, "2026-03-02T10:00-05:00": 1,
              "2026-03-03T11:00-05:00": 1, "2026-03-05T15:00-05:00": 1,
              "2026-03-10T08:00-04:00": 1, "2026-03-10T09:00-04:00": 1,
              "2026-03-31T23:00-04:00": 1}),
])
async def test_groups(api: Api, group: str, expected: dict[str | None, int]) -> None:
    found = await rows(api, group)
    assert {key: row["calls"] for key, row in found.items()} == expected
    assert list(found)[-1:] == [None] or None not in found


async def test_default_group_is_campaign(api: Api) -> None:
    assert (await api.json("/api/reports"))["group"] == "campaign"


async def test_hours_across_the_fall_back_stay_apart(api: Api) -> None:
    """1 November 2026: New York's 01:00-02:00 happens twice, first at -04:00, then -05:00."""
    await seed(api.store, *(Seed(f"nov{i}", at, "fall", "radio", None, "+18885550104", None,
                                 "radio", status=CallStatus.NO_ANSWER)
                            for i, at in enumerate(["2026-11-01T05:30:00Z",
                                                    "2026-11-01T06:30:00Z",
                                                    "2026-11-01T06:59:59.999999Z"])))
    window = {"from": "2026-11-01", "to": "2026-11-02"}
    assert {k: r["calls"] for k, r in (await rows(api, "hour", **window)).items()} == {
        "2026-11-01T01:00-04:00": 1, "2026-11-01T01:00-05:00": 2}
    assert {k: r["calls"] for k, r in (await rows(api, "day", **window)).items()} == {
        "2026-11-01": 3}


async def test_an_empty_selection_is_an_empty_report(api: Api) -> None:
    body = await api.json("/api/reports", params={"group": "hour", "campaign": "none"})
    assert body["rows"] == []
    assert (body["total"]["calls"], body["total"]["spend"]) == (0, 0.0)
    mine = await api.json("/api/reports", METRO, params={"campaign": "none"})
    assert mine["total"]["spend"] is None


async def test_csv_report(api: Api) -> None:
    found = await api.csv("/api/reports", params={"group": "tag:channel"})
    assert [row["tag:channel"] for row in found] == ["radio", "search", "tv"]
    assert found[2] == {"tag:channel": "tv", "calls": "4", "answered": "3", "converted": "2",
                        "conversion_rate": "0.5", "avg_talk_seconds": "120.0",
                        "spend": "900.0", "cost_per_call": "225.0",
                        "cost_per_converted": "450.0", "revenue": "0.0", "payout": "0.0",
                        "margin": "-900.0"}
    status, kind, _ = await api.get("/api/reports", params={"format": "csv"})
    assert (status, kind) == (200, "text/csv")


@pytest.mark.parametrize(("params", "reason"), [
    ({"group": "week"}, "group: expected one of campaign"),
    ({"group": "tag:"}, "group: expected"),
    ({"group": "tag:a-b"}, "group: expected"),
    ([("group", "day"), ("group", "hour")], "group: give it once"),
    ({"cursor": "x"}, "cursor: unknown parameter"),
    ({"status": "nope"}, "status: expected one of"),
])
async def test_bad_report_parameters_are_400(api: Api, params: object, reason: str) -> None:
    status, _, body = await api.get("/api/reports", params=params)
    assert status == 400 and reason in body


async def test_acme_seed_is_untouched_by_other_groups(api: Api) -> None:
    await seed(api.store, acme("a4", "2026-03-20T12:00:00Z", talk=45))
    google = (await rows(api, "source"))["google-ads"]
    assert (google["calls"], google["spend"], google["avg_talk_seconds"]) == (4, 50.0, 65.0)
