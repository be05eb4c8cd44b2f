"""Takes docs/dashboard.png: the dashboard's today page in headless Chromium, signed in as the
admin, over a store seeded with a realistic month of calls for examples/demo.yaml.

Run from the repository root: `.venv/bin/python -m docs.screenshot`. The day is fixed (and the
calls drawn from a seeded random generator), so the picture changes only when the page does.
"""

from __future__ import annotations

import asyncio
import base64
import random
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytz
from aiohttp import web

from callserver.app import STORE, Listen, build_app
from callserver.config.loader import load_config
from callserver.hostport import HostPort
from callserver.live import LiveConfig
from callserver.settings import Secrets
from callserver.store import calls
from callserver.store.call_values import Call, CallEnd, CallStatus
from callserver.store.db import Store
from tests.browser.chromium import browser

ROOT = Path(__file__).parents[1]
OUT = ROOT / "docs" / "dashboard.png"
CONFIG = ROOT / "examples" / "demo.yaml"
ZONE = pytz.timezone("America/New_York")
NOW = ZONE.localize(datetime(2026, 3, 10, 15, 40))
ADMIN = "screenshot-admin"
# (number, source, publisher, sub_id, calls a day): pool numbers carry the source the
# visitor's session was attributed to.
TRAFFIC = (
    ("+13125550110", "google-ads", None, None, 38), ("+13125550111", "facebook", None, None, 17),
    ("+13125550112", "yelp", None, None, 11), ("+13125550113", "organic", None, None, 14),
    ("+18005550102", "tv", None, None, 22), ("+18005550101", "google-ads", None, None, 9),
    ("+18885550104", "affiliate", "leadgen", "lg-tv-02", 12),
    ("+18885550105", "affiliate", "metro-media", "mm-radio", 8),
)
CAMPAIGN = {"+18885550104": "insurance", "+18885550105": "insurance"}


def month_of_calls(rng: random.Random) -> list[tuple[Call, CallEnd | None]]:
    """The month so far (so monthly budgets spread as in a real month), each day's calls from
    7:00, busiest late morning, up to now on the last day."""
    made = []
    for day in range(1, NOW.day + 1):
        opening = ZONE.localize(datetime(NOW.year, NOW.month, day))
        for number, source, publisher, sub_id, count in TRAFFIC:
            for i in range(count):
                at = opening + timedelta(hours=_hour(rng))
                if at >= NOW:
                    continue
                area = rng.choice(['312', '773', '630', '847'])
                caller = f"+1{area}555{rng.randrange(10**4):04d}"
                call = Call(id=f"{day}-{source}-{number[-4:]}-{i}", started_at=at,
                            number=number, caller=caller,
                            campaign=CAMPAIGN.get(number, "plumbing"), source=source,
                            publisher=publisher, sub_id=sub_id, tags={"channel": source},
                            trace={"outcome": "answered"})
                made.append((call, _end(rng, at)))
    return made


def _hour(rng: random.Random) -> float:
    while not 7.0 <= (hour := rng.gauss(11.5, 2.6)) < 18.0:
        pass
    return hour


def _end(rng: random.Random, at: datetime) -> CallEnd | None:
    if at > NOW - timedelta(minutes=12):
        return None
    roll = rng.random()
    if roll < 0.72:
        talk = rng.expovariate(1 / 180)
        return CallEnd(CallStatus.ANSWERED, at + timedelta(seconds=talk + 8),
                       answered_at=at + timedelta(seconds=8), ring_seconds=8,
                       talk_seconds=round(talk, 1), answered_target="dispatch",
                       converted=talk >= 90)
    status = CallStatus.NO_ANSWER if roll < 0.86 else CallStatus.BUSY
    return CallEnd(status, at + timedelta(seconds=20), ring_seconds=20)


async def seed(store: Store) -> None:
    for call, end in month_of_calls(random.Random(2026)):
        await store.write(calls.start, call)
        if end is not None:
            await store.write(calls.complete, call.id, end)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        loopback = HostPort("127.0.0.1", 0)
        app = build_app(LiveConfig(CONFIG, load_config(CONFIG)), Secrets(admin_token=ADMIN),
                        Listen(loopback, loopback, loopback, f"{tmp}/db.sqlite3"),
                        clock=lambda: NOW)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        base = f"http://127.0.0.1:{runner.addresses[0][1]}"
        try:
            await seed(app[STORE])
            async with browser(Path(tmp) / "profile") as cdp:
                tab = await cdp.tab()
                await tab.send("Emulation.setDeviceMetricsOverride", {
                    "width": 1240, "height": 1240, "deviceScaleFactor": 1, "mobile": False})
                await tab.send("Emulation.setScrollbarsHidden", {"hidden": True})
                await tab.goto(f"{base}/dashboard/login")
                loaded = tab.expect("Page.loadEventFired")
                await tab.eval(f"document.getElementById('token').value = {ADMIN!r}; "
                               "document.getElementById('sign-in').click()")
                await loaded
                height = await tab.eval("document.documentElement.scrollHeight")
                shot = await tab.send("Page.captureScreenshot", {
                    "format": "png", "clip": {"x": 0, "y": 0, "width": 1240,
                                              "height": min(height, 1240), "scale": 1}})
        finally:
            await runner.cleanup()
    OUT.write_bytes(base64.b64decode(shot["data"]))
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    asyncio.run(main())
