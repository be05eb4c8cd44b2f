"""Call records carry the web visit behind each call, in `GET /api/calls`, `GET /api/calls/{id}`
and the CSV export; a publisher sees its own calls' visits only, and never a visitor's address,
user agent or cookies; reports group by the visit's UTM values and landing page."""

from __future__ import annotations

from collections.abc import AsyncIterator

import jsonschema_rs
import pytest

from callserver.reports.groups import VISIT
from callserver.reports.visit_fields import PRIVATE, VISIT_COLUMNS
from tests.reports.conftest import ACME, ADMIN, METRO, SEEDS, Api
from tests.reports.visits import METRO_SOCIAL, seed_visits

UNVISITED = len(SEEDS) + 1  # the seeded calls without a session, and the one whose is gone
SHARED = [name for name in VISIT_COLUMNS if name not in PRIVATE]


@pytest.fixture
async def visited(api: Api) -> AsyncIterator[Api]:
    await seed_visits(api.store)
    yield api


async def _calls(api: Api, token: str) -> dict[str, dict[str, object]]:
    body = await api.json("/api/calls", token)
    return {call["id"]: call for call in body["calls"]}


async def test_an_admins_call_carries_every_field_of_its_visit(visited: Api) -> None:
    va1 = (await _calls(visited, ADMIN))["va1"]
    assert {name: va1[name] for name in VISIT_COLUMNS} == {
        "landing_url": "https://www.example.com/plumbing?utm_source=google&gclid=g-acme",
        "referrer": "https://www.google.com/", "utm_source": "google", "utm_medium": "cpc",
        "utm_campaign": "spring-sale", "utm_term": "plumber near me", "utm_content": "ad-1",
        "gclid": "g-acme", "fbclid": None, "msclkid": None, "page_views": 4,
        "session_first_seen": "2026-03-02T13:50:00.000000Z", "session_seconds": 245.5,
        "ip": "203.0.113.0", "user_agent": "Mozilla/5.0 (acme visitor)",
        "cookies": {"_ga": "GA1.2.111"}}
    assert va1["session_id"] == "s-acme-search"
    assert await visited.json("/api/calls/va1", ADMIN) == {**va1, "trace": {"seeded": "va1"}}


async def test_a_call_without_a_session_has_null_visit_fields(visited: Api) -> None:
    found = await _calls(visited, ADMIN)
    for call_id in ("a1", "vgone"):  # never matched; matched to a session no longer stored
        assert {found[call_id][name] for name in VISIT_COLUMNS} == {None}, call_id
    assert found["vgone"]["session_id"] == "s-expired"


async def test_the_csv_export_has_the_visit_columns(visited: Api) -> None:
    rows = {row["id"]: row for row in await visited.csv("/api/calls", ADMIN)}
    assert list(rows["va1"])[-len(VISIT_COLUMNS):] == list(VISIT_COLUMNS)
    assert (rows["va1"]["utm_term"], rows["va1"]["session_seconds"], rows["va1"]["cookies"],
            rows["va1"]["ip"]) == ("plumber near me", "245.5", '{"_ga":"GA1.2.111"}',
                                   "203.0.113.0")
    assert {rows["a1"][name] for name in VISIT_COLUMNS} == {""}


async def test_a_publisher_sees_its_own_calls_visits_and_no_one_elses(visited: Api) -> None:
    mine = await _calls(visited, ACME)
    assert set(mine) == {s.id for s in SEEDS if s.publisher == "acme"} | {"va1", "va2"}
    assert (mine["va1"]["gclid"], mine["va2"]["msclkid"]) == ("g-acme", "ms-acme")
    assert mine["va2"]["utm_term"] == "emergency plumber"
    _, _, body = await visited.get("/api/calls", ACME)
    _, _, csv_body = await visited.get("/api/calls", ACME, {"format": "csv"})
    for secret in ("metro-secret", "metro-term", "fb-metro", "tv?x=1", METRO_SOCIAL.ip or ""):
        assert secret not in body and secret not in csv_body, secret
    metros = await _calls(visited, METRO)
    assert (metros["vm1"]["utm_campaign"], metros["vm1"]["fbclid"]) == ("metro-secret",
                                                                        "fb-metro")
    assert {call["gclid"] for call in metros.values()} == {None}


async def test_a_publisher_never_sees_a_visitors_address_agent_or_cookies(
    visited: Api
) -> None:
    for call in (await _calls(visited, ACME)).values():
        assert not set(PRIVATE) & set(call), call["id"]
        assert set(SHARED) <= set(call)
    one = await visited.json("/api/calls/va1", ACME)
    assert not set(PRIVATE) & set(one) and one["landing_url"] is not None
    rows = await visited.csv("/api/calls", ACME)
    assert not set(PRIVATE) & set(rows[0]) and set(SHARED) <= set(rows[0])
    _, _, body = await visited.get("/api/calls", ACME, {"format": "csv"})
    assert "Mozilla" not in body and "203.0.113" not in body and "GA1.2" not in body


@pytest.mark.parametrize(("group", "expected"), [
    ("utm_campaign", {"spring-sale": 2, "metro-secret": 1, None: UNVISITED}),
    ("utm_term", {"plumber near me": 1, "emergency plumber": 1, "metro-term": 1,
                  None: UNVISITED}),
    ("utm_source", {"google": 1, "bing": 1, "facebook": 1, None: UNVISITED}),
    ("utm_medium", {"cpc": 2, "paid_social": 1, None: UNVISITED}),
    ("utm_content", {"ad-1": 1, None: UNVISITED + 2}),
    ("landing_page", {"https://www.example.com/plumbing": 2, "https://www.example.com/tv": 1,
                      None: UNVISITED}),
])
async def test_reports_group_by_the_visit(visited: Api, group: str,
                                          expected: dict[str | None, int]) -> None:
    report = await visited.json("/api/reports", ADMIN, {"group": group})
    assert {row["key"]: row["calls"] for row in report["rows"]} == expected
    assert report["rows"][-1]["key"] is None  # calls without a visit last
    assert report["total"]["calls"] == sum(expected.values())


async def test_a_publishers_visit_report_counts_its_own_calls(visited: Api) -> None:
    report = await visited.json("/api/reports", ACME, {"group": "utm_campaign"})
    assert {row["key"]: row["calls"] for row in report["rows"]} == {"spring-sale": 2, None: 3}
    spend = await visited.json("/api/reports", ADMIN,
                               {"group": "utm_campaign", "publisher": "acme"})
    assert spend["rows"][0]["spend"] == 25.0  # google-ads: 12.50 a call
    rows = await visited.csv("/api/reports", ACME, {"group": "landing_page"})
    assert [(row["landing_page"], row["calls"]) for row in rows] == [
        ("https://www.example.com/plumbing", "2"), ("", "3")]


@pytest.mark.parametrize("group", list(VISIT))
async def test_no_visit_group_shows_another_publishers_keys(visited: Api, group: str) -> None:
    admin = await visited.json("/api/reports", ADMIN, {"group": group, "publisher": "acme"})
    mine = await visited.json("/api/reports", ACME, {"group": group})
    assert mine["rows"] == [{**row, "spend": None, "cost_per_call": None,
                             "cost_per_converted": None, "revenue": None, "margin": None}
                            for row in admin["rows"]]
    assert mine["total"]["calls"] == 5


async def test_the_visit_groups_are_in_the_openapi_document(api: Api) -> None:
    document = await api.json("/api/openapi.json", None)
    group, = (p for p in document["paths"]["/api/reports"]["get"]["parameters"]
              if p["name"] == "group")
    assert {"utm_campaign", "utm_term", "utm_source", "utm_medium", "utm_content",
            "landing_page"} <= set(
        group["schema"]["anyOf"][0]["enum"])
    call = document["components"]["schemas"]["Call"]
    assert set(VISIT_COLUMNS) <= set(call["properties"])
    assert not set(PRIVATE) & set(call["required"])


async def test_records_with_and_without_a_visit_keep_to_the_call_schema(visited: Api) -> None:
    """The schemathesis server's calls have no sessions: these have, and are held here."""
    schema = (await visited.json("/api/openapi.json", None))["components"]["schemas"]["Call"]
    validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    for token in (ADMIN, ACME):
        for call_id in ("va1", "va2", "a1"):
            validator.validate(await visited.json(f"/api/calls/{call_id}", token))
