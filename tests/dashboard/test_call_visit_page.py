"""The dashboard's call page shows the web visit behind the call: every field to the admin, a
publisher its own calls' visits without the visitor's address, user agent and cookies."""

from __future__ import annotations

import re

from callserver.reports.visit_fields import PRIVATE, VISIT_COLUMNS
from tests.dashboard.conftest import ACME, ADMIN, METRO, Client, Dash
from tests.reports.visits import seed_visits


def _shown(html: str) -> dict[str, str]:
    return dict(re.findall(r'<dd data-visit="([a-z_]+)">([^<]*)</dd>', html))


async def test_the_admin_sees_the_whole_visit(dash: Dash, client: Client) -> None:
    await seed_visits(dash.store)
    await client.sign_in(ADMIN)
    status, html = await client.get("/dashboard/calls/va1")
    assert status == 200
    shown = _shown(html)
    assert list(shown) == list(VISIT_COLUMNS)
    assert shown["utm_term"] == "plumber near me" and shown["session_seconds"] == "245.5"
    assert shown["ip"] == "203.0.113.0" and shown["page_views"] == "4"
    assert shown["session_first_seen"] == "2026-03-02 08:50:00"  # New York time
    assert "GA1.2.111" in shown["cookies"]


async def test_a_call_without_a_visit_says_so(dash: Dash, client: Client) -> None:
    await seed_visits(dash.store)
    await client.sign_in(ADMIN)
    for call_id in ("a1", "vgone"):
        _, html = await client.get(f"/dashboard/calls/{call_id}")
        assert 'id="visit">No web visit' in html and not _shown(html), call_id


async def test_a_publisher_sees_its_visit_without_the_visitors_private_fields(
    dash: Dash, client: Client
) -> None:
    await seed_visits(dash.store)
    await client.sign_in(ACME)
    _, html = await client.get("/dashboard/calls/va1")
    shown = _shown(html)
    assert shown["gclid"] == "g-acme" and not set(PRIVATE) & set(shown)
    assert "203.0.113" not in html and "Mozilla" not in html and "GA1.2" not in html
    status, html = await client.get("/dashboard/calls/vm1")
    assert status == 404 and "metro-secret" not in html


async def test_another_publisher_sees_its_own(client: Client, dash: Dash) -> None:
    await seed_visits(dash.store)
    await client.sign_in(METRO)
    _, html = await client.get("/dashboard/calls/vm1")
    assert _shown(html)["utm_campaign"] == "metro-secret"
