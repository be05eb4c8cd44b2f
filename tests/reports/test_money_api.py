"""Pay-per-call money over the real HTTP API: `GET /api/reports` sums each call's recorded
revenue and payout with margin = revenue - payout - spend, in JSON and CSV; `GET /api/calls`
carries both on each call. A publisher's token sees its own payout and never the network's
revenue or margin."""

from __future__ import annotations

from dataclasses import replace

from callserver.store import calls
from tests.reports.conftest import ACME, Api, Seed, acme


async def seed_money(api: Api) -> None:
    """p1 (acme's, google-ads at 12.50 a call) and p2 (metro's, no source) converted, each
    earning 25 from its buyer, owing acme 12 and metro 10."""
    p2 = Seed("p2", "2026-03-07T14:00:00+00:00", "spring", None, "metro", "+13125550110",
              "m1", "tv", talk=90, converted=True)
    for each, payout in ((acme("p1", "2026-03-06T14:00:00+00:00", talk=90, converted=True),
                          12.0), (p2, 10.0)):
        end = each.end()
        assert end is not None
        await api.store.write(calls.start, each.call(), durable=True)
        assert await api.store.write(calls.complete, each.id,
                                     replace(end, revenue=25.0, payout=payout), durable=True)


def money(row: dict[str, object]) -> tuple[object, ...]:
    return row["spend"], row["revenue"], row["payout"], row["margin"]


async def test_the_report_sums_revenue_payout_and_margin(api: Api) -> None:
    await seed_money(api)
    body = await api.json("/api/reports", params={"group": "publisher"})
    assert {row["key"]: money(row) for row in body["rows"]} == {
        "acme": (50.0, 25.0, 12.0, -37.0),  # a1..a3 and p1 at 12.50 each
        "metro": (675.0, 25.0, 10.0, -660.0),  # tv's 900 over its four March calls, p2 free
        None: (225.0, 0.0, 0.0, -225.0)}
    assert money(body["total"]) == (950.0, 50.0, 22.0, -922.0)
    rows = {row["publisher"]: row for row in await api.csv(
        "/api/reports", params={"group": "publisher"})}
    assert (rows["acme"]["revenue"], rows["acme"]["payout"], rows["acme"]["margin"]) == (
        "25.0", "12.0", "-37.0")


async def test_a_publisher_sees_its_payout_and_not_the_networks_money(api: Api) -> None:
    await seed_money(api)
    body = await api.json("/api/reports", ACME, {"group": "source"})
    assert [(row["key"], *money(row)) for row in body["rows"]] == [
        ("google-ads", None, None, 12.0, None)]
    assert money(body["total"]) == (None, None, 12.0, None)
    (row,) = await api.csv("/api/reports", ACME, {"group": "source"})
    assert (row["revenue"], row["payout"], row["margin"]) == ("", "12.0", "")


async def test_calls_carry_revenue_and_payout(api: Api) -> None:
    await seed_money(api)
    listed = {c["id"]: c for c in (await api.json("/api/calls"))["calls"]}
    assert (listed["p1"]["revenue"], listed["p1"]["payout"]) == (25.0, 12.0)
    assert (listed["a1"]["revenue"], listed["a1"]["payout"]) == (None, None)
    assert (await api.json("/api/calls/p2"))["revenue"] == 25.0
    rows = {row["id"]: row for row in await api.csv("/api/calls")}
    assert (rows["p1"]["revenue"], rows["p1"]["payout"]) == ("25.0", "12.0")


async def test_a_publishers_calls_show_its_payout_without_revenue(api: Api) -> None:
    await seed_money(api)
    mine = {c["id"]: c for c in (await api.json("/api/calls", ACME))["calls"]}
    assert mine["p1"]["payout"] == 12.0 and "revenue" not in mine["p1"]
    one = await api.json("/api/calls/p1", ACME)
    assert one["payout"] == 12.0 and "revenue" not in one
    (row, *_) = [row for row in await api.csv("/api/calls", ACME) if row["id"] == "p1"]
    assert row["payout"] == "12.0" and "revenue" not in row
