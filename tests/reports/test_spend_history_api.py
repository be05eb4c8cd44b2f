"""A budget changed by a reload reprices the current month, not the months before it: through
the served app, with its clock moved from March to April 2026 (New York) between the two.

Seeded March: google-ads costs 12.50 a call (three calls), tv's 900 budget spreads over its
four March calls. April adds two tv calls and one google-ads call.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from callserver.app import Listen, build_app
from callserver.config.loader import load_config
from callserver.hostport import HostPort
from callserver.live import LiveConfig
from callserver.store.cost_snapshots import snapshots
from tests.reports.conftest import ADMIN, CONFIG, METRO, SECRETS, SEEDS, Api, acme, metro, seed

MARCH = {"from": "2026-03-01", "to": "2026-04-01"}
APRIL = {"from": "2026-04-01", "to": "2026-05-01"}


class Clock:
    def __init__(self, at: str) -> None:
        self.at = datetime.fromisoformat(at)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[Api, Path, Clock]]:
    config, clock = tmp_path / "callserver.yaml", Clock("2026-03-20T12:00:00+00:00")
    config.write_text(CONFIG)
    loopback = HostPort("127.0.0.1", 0)
    app = build_app(LiveConfig(config, load_config(config)), SECRETS,
                    Listen(http=loopback, agi=loopback, ami=loopback,
                           db=str(tmp_path / "db.sqlite3")), clock=clock)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            api = Api(f"http://127.0.0.1:{runner.addresses[0][1]}", app, http)
            await seed(api.store, *SEEDS, metro("apr1", "2026-04-10T12:00:00Z"),
                       metro("apr2", "2026-04-11T12:00:00Z"),
                       acme("apr3", "2026-04-12T12:00:00Z"))
            yield api, config, clock
    finally:
        await runner.cleanup()


async def spend(api: Api, month: dict[str, str], token: str = ADMIN) -> dict[str, Any]:
    body = await api.json("/api/reports", token, params={"group": "source", **month})
    return {row["key"]: (row["spend"], row["cost_per_call"]) for row in body["rows"]}


async def reload(api: Api) -> None:
    async with api.http.post(f"{api.base}/api/config/reload",
                             headers={"Authorization": f"Bearer {ADMIN}"}) as response:
        assert response.status == 200, await response.text()


async def test_a_reload_reprices_the_current_month_and_leaves_the_last_alone(
        served: tuple[Api, Path, Clock]) -> None:
    api, config, clock = served
    march = {"google-ads": (37.5, 12.5), "radio": (0.0, 0.0), "tv": (900.0, 225.0)}
    assert await spend(api, MARCH) == march
    clock.at = datetime.fromisoformat("2026-04-15T12:00:00+00:00")
    config.write_text(CONFIG.replace("per_call: 12.50", "per_call: 20")
                      .replace("monthly_budget: 900", "monthly_budget: 1200"))
    await reload(api)
    assert await spend(api, MARCH) == march
    assert await spend(api, APRIL) == {"google-ads": (20.0, 20.0), "tv": (1200.0, 600.0)}
    whole = await api.json("/api/reports", params={"group": "source"})
    assert whole["total"]["spend"] == 937.5 + 1220.0


async def test_a_publisher_still_sees_no_spend_of_either_month(
        served: tuple[Api, Path, Clock]) -> None:
    api, config, clock = served
    clock.at = datetime.fromisoformat("2026-04-15T12:00:00+00:00")
    config.write_text(CONFIG.replace("monthly_budget: 900", "monthly_budget: 1200"))
    await reload(api)
    for month in (MARCH, APRIL):
        assert await spend(api, month, METRO) == {"tv": (None, None)}


async def test_a_reload_is_recorded_for_its_month_without_a_report_asked(
        served: tuple[Api, Path, Clock]) -> None:
    """April's reload to 1200 is April's snapshot although no report ran until May, when a
    second reload set 1500: April keeps 1200, not March's 900 nor May's 1500."""
    api, config, clock = served
    clock.at = datetime.fromisoformat("2026-04-15T12:00:00+00:00")
    config.write_text(CONFIG.replace("monthly_budget: 900", "monthly_budget: 1200"))
    await reload(api)
    await _until_recorded(api, "2026-04")
    clock.at = datetime.fromisoformat("2026-05-03T12:00:00+00:00")
    config.write_text(CONFIG.replace("monthly_budget: 900", "monthly_budget: 1500"))
    await reload(api)
    assert (await spend(api, APRIL))["tv"] == (1200.0, 600.0)
    assert (await spend(api, MARCH))["tv"] == (900.0, 225.0)


async def _until_recorded(api: Api, month: str) -> None:
    """The listener records in the background: wait for its row, as a later report would."""
    for _ in range(200):
        if month in await api.store.read(snapshots):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"no snapshot of {month}")


@pytest.mark.parametrize("page", ["/dashboard/sources", "/dashboard/today"])
async def test_a_dashboard_page_records_the_month_it_is_viewed_in(
        served: tuple[Api, Path, Clock], page: str) -> None:
    """Like `GET /api/reports`, a dashboard page that shows spend first makes sure the month
    it is viewed in has its snapshot: the retry for one the reload listener failed to write.
    Here the clock moved into April with no reload and no report, and the page records it."""
    api, _, clock = served
    clock.at = datetime.fromisoformat("2026-04-02T12:00:00+00:00")
    assert "2026-04" not in await api.store.read(snapshots)
    async with api.http.get(f"{api.base}/dashboard/login") as response:
        form_token = re.search(r'name="form_token" value="([^"]+)"', await response.text())
    assert form_token
    async with api.http.post(f"{api.base}/dashboard/login", allow_redirects=False,
                             headers={"Origin": api.base},
                             data={"form_token": form_token.group(1), "token": ADMIN,
                                   "next": page}) as response:
        assert response.status == 303
    async with api.http.get(f"{api.base}{page}", allow_redirects=False) as response:
        assert response.status == 200
    assert "2026-04" in await api.store.read(snapshots)
