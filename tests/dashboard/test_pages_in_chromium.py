"""The dashboard in real headless Chromium against the real app and a seeded store: what the
admin and a publisher see, the call log's filters, a call's trace, and live updates."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from callserver.store import calls
from tests.browser.cdp import Tab
from tests.browser.chromium import browser
from tests.browser.conftest import needs_chromium
from tests.dashboard.conftest import ACME, ADMIN, Dash, acme, metro, navigate, sign_in
from tests.reports.conftest import Seed, seed

pytestmark = needs_chromium

ROWS = "[...document.querySelectorAll('#{} tbody tr[data-call]')].map(r => r.dataset.call)"


async def text(tab: Tab, selector: str) -> str:
    shown: str = await tab.eval(f"document.querySelector({selector!r}).textContent.trim()")
    return shown


async def column(tab: Tab, table: str, key: str, col: str) -> str:
    return await text(tab, f"#{table} tr[data-key='{key}'] [data-col='{col}']")


async def test_today_shows_the_seeded_day_with_a_series_per_source(
        dash: Dash, tmp_path: Path) -> None:
    async with browser(tmp_path / "profile") as cdp:
        tab = await cdp.tab()
        await sign_in(tab, dash.base, ADMIN)
        assert await tab.eval("location.pathname") == "/dashboard/today"
        assert await text(tab, "#total-calls") == "7"
        assert await text(tab, "#in-progress") == "1"
        assert await text(tab, "#converted") == "2"
        assert await column(tab, "by-source", "google-ads", "spend") == "37.50"
        series = await tab.eval(
            "Object.fromEntries([...document.querySelectorAll('#chart g.series')].map(g => "
            "[g.dataset.source, [...g.querySelectorAll('rect')].map(r => "
            "r.dataset.hour + ':' + r.dataset.count)]))")
        # Local (New York) hours: 13:05Z is 08h, 14:30Z 09h, 16:10Z 11h, and so on.
        assert series == {"google-ads": ["08:1", "09:1", "11:1"], "radio": ["10:1", "14:1"],
                          "tv": ["09:1", "12:1"]}
        recent = await tab.eval(ROWS.format("recent"))
        assert sorted(recent) == ["a1", "a2", "a3", "m1", "m2", "n1", "n2"]


async def test_the_live_page_shows_a_new_call_without_a_reload(
        dash: Dash, tmp_path: Path) -> None:
    async with browser(tmp_path / "profile") as cdp:
        tab = await cdp.tab()
        await sign_in(tab, dash.base, ADMIN)
        await tab.eval("window.notReloaded = true")
        await seed(dash.store, acme("fresh", "2026-03-02T19:55:00+00:00", status=None))
        await tab.wait_for("document.querySelector('#recent tr[data-call=fresh]')")
        assert await tab.eval("window.notReloaded") is True
        assert await text(tab, "#total-calls") == "8"
        assert await text(tab, "#in-progress") == "2"
        assert await tab.eval("document.querySelectorAll("
                              "'#chart g[data-source=google-ads] rect').length") == 4


async def test_a_filter_narrows_the_call_log_and_a_click_shows_the_trace(
        dash: Dash, tmp_path: Path) -> None:
    async with browser(tmp_path / "profile") as cdp:
        tab = await cdp.tab()
        await sign_in(tab, dash.base, ADMIN, then="/dashboard/calls")
        assert len(await tab.eval(ROWS.format("calls"))) == 8
        await navigate(tab, "document.getElementById('filter-campaign').value = 'spring';"
                            "document.getElementById('filter-status').value = 'answered';"
                            "document.getElementById('apply').click()")
        assert await tab.eval(ROWS.format("calls")) == ["a2", "m1", "a1", "old"]
        assert await tab.eval("document.getElementById('filter-campaign').value") == "spring"
        await navigate(tab, "document.getElementById('filter-converted').value = 'true';"
                            "document.getElementById('filter-from').value = '2026-03-02T00:00';"
                            "document.getElementById('apply').click()")
        assert await tab.eval(ROWS.format("calls")) == ["m1", "a1"]
        await navigate(tab, "document.querySelector('tr[data-call=m1] a').click()")
        assert await tab.eval("location.pathname") == "/dashboard/calls/m1"
        assert await text(tab, "[data-field=publisher]") == "metro"
        assert await tab.eval("[...document.querySelectorAll('#trace [data-trace]')]"
                              ".map(h => h.dataset.trace)") == ["seeded"]
        assert "m1" in await text(tab, "#trace")


async def test_a_publisher_sees_only_its_own_numbers(dash: Dash, tmp_path: Path) -> None:
    async with browser(tmp_path / "profile") as cdp:
        tab = await cdp.tab()
        await sign_in(tab, dash.base, ACME)
        assert await text(tab, "#who") == "publisher acme"
        assert await text(tab, "#total-calls") == "3"
        assert await tab.eval("document.getElementById('spend')") is None
        assert await tab.eval("[...document.querySelectorAll('#chart g.series')]"
                              ".map(g => g.dataset.source)") == ["google-ads"]
        assert sorted(await tab.eval(ROWS.format("recent"))) == ["a1", "a2", "a3"]
        assert await tab.eval("[...document.querySelectorAll('nav a')].map(a => a.textContent)"
                              ) == ["Today", "Calls", "Sources & campaigns", "Numbers"]
        await tab.goto(f"{dash.base}/dashboard/calls?publisher=metro")
        assert await tab.eval(ROWS.format("calls")) == []
        await tab.goto(f"{dash.base}/dashboard/calls")
        assert sorted(await tab.eval(ROWS.format("calls"))) == ["a1", "a2", "a3", "old"]
        assert await tab.eval("document.getElementById('filter-publisher')") is None
        assert await tab.eval("[...document.querySelectorAll('#filter-source option')]"
                              ".map(o => o.value)") == ["", "google-ads"]
        await tab.goto(f"{dash.base}/dashboard/calls/m1")
        assert await text(tab, "h1") == "404"
        assert "metro" not in await tab.eval("document.body.textContent")
        await tab.goto(f"{dash.base}/dashboard/sources")
        assert await tab.eval("[...document.querySelectorAll('#sources tr[data-key]')]"
                              ".map(r => r.dataset.key)") == ["google-ads"]
        assert await tab.eval("document.querySelector('#sources [data-col=spend]')") is None
        for admin_page in ("pools", "webhooks"):
            await tab.goto(f"{dash.base}/dashboard/{admin_page}")
            assert await text(tab, "h1") == "403"


async def test_sources_campaigns_and_pools_show_spend_and_sizes(
        dash: Dash, tmp_path: Path) -> None:
    await seed(dash.store, metro("m3", "2026-03-20T14:00:00+00:00", talk=10, converted=True))
    async with browser(tmp_path / "profile") as cdp:
        tab = await cdp.tab()
        await sign_in(tab, dash.base, ADMIN, then="/dashboard/sources")
        # tv's 900 for March is spread over its three March calls.
        assert [await column(tab, "sources", "tv", col) for col in
                ("calls", "converted", "conversion_rate", "spend", "cost_per_call",
                 "cost_per_converted")] == ["3", "2", "66.7%", "900.00", "300.00", "450.00"]
        assert await column(tab, "campaigns", "spring", "spend") == "950.00"
        await tab.goto(f"{dash.base}/dashboard/pools")
        row = "#pools tr[data-pool='spring/web'] [data-col={}]"
        assert [await text(tab, row.format(col)) for col in ("size", "active", "recommended")
                ] == ["2", "0", "1"]


async def test_markup_in_a_tag_or_caller_id_is_shown_as_text(
        dash: Dash, tmp_path: Path) -> None:
    evil = "<script>window.owned = 1</script><img src=x onerror='window.owned = 2'>"
    tagged = Seed("evil", "2026-03-02T19:00:00+00:00", "spring", "tv", "metro", "+13125550110",
                  "m1", evil, status=None)
    await dash.store.write(calls.start, replace(tagged.call(), caller=evil), durable=True)
    async with browser(tmp_path / "profile") as cdp:
        tab = await cdp.tab()
        await sign_in(tab, dash.base, ADMIN)
        for page in ("/dashboard/today", "/dashboard/calls", "/dashboard/calls/evil"):
            await tab.goto(f"{dash.base}{page}")
            assert await tab.eval("document.querySelectorAll('main img, main script').length"
                                  ) == 0
            assert evil in await tab.eval("document.querySelector('main').textContent")
        await tab.goto(f"{dash.base}/dashboard/today")
        await tab.wait_for("document.getElementById('live').dataset.updated")
        assert await tab.eval("window.owned") is None
