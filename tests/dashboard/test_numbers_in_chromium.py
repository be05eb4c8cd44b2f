"""Seed 002's bulk release in real headless Chromium: "Select All" ticks every active number
shown, and releasing them takes a confirmation, against the real app and inventory."""

from __future__ import annotations

from pathlib import Path

from tests.browser.chromium import browser
from tests.browser.conftest import needs_chromium
from tests.dashboard.conftest import navigate, sign_in
from tests.numbers.conftest import ADMIN, CHICAGO, POOL, served

pytestmark = needs_chromium

TICKED = "[...document.querySelectorAll('input[name=number]:checked')].map(b => b.value)"


async def test_select_all_ticks_the_shown_numbers_and_a_confirmed_release_frees_them(
        tmp_path: Path) -> None:
    async with served(tmp_path) as server, browser(tmp_path / "profile") as cdp:
        tab = await cdp.tab()
        await sign_in(tab, server.base, ADMIN, then="/dashboard/numbers?region=IL")
        assert await tab.eval(TICKED) == []
        await tab.eval("document.querySelector('input[data-select-all]').click()")
        assert sorted(await tab.eval(TICKED)) == sorted([CHICAGO, *POOL])
        await navigate(tab, "document.getElementById('release-selected').click()")
        assert await tab.eval("document.querySelectorAll('#to-release li').length") == 3
        await navigate(tab, "document.getElementById('confirm').click()")
        assert "Released 3 numbers" in await tab.eval(
            "document.getElementById('released').textContent")
        listed = (await server.get("/api/numbers", {"region": "IL"}))["numbers"]
        assert {r["state"] for r in listed} == {"released"}
