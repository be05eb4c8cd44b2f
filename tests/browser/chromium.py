"""Debian's headless Chromium, one process per profile directory: reusing a directory is how a
test plays a returning visitor, whose localStorage must survive the browser closing."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

from tests.browser.cdp import Cdp, connect

CHROMIUM = shutil.which("chromium")
TEST_DOMAIN = "shop.test"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
         # Sites on real host names, for cookies shared under a domain: all on loopback.
         f"--host-resolver-rules=MAP *.{TEST_DOMAIN} 127.0.0.1")
# What a visitor's desktop Chromium says; headless Chromium's own agent names it a robot.
VISITOR = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/156.0.0.0 Safari/537.36")


def _fresh(profile: Path) -> Path:
    """The profile directory, without the port file a previous run left."""
    profile.mkdir(parents=True, exist_ok=True)
    active = profile / "DevToolsActivePort"
    active.unlink(missing_ok=True)
    return active


def _listening(active: Path) -> str | None:
    """Chromium writes its chosen port and browser path there once it listens."""
    lines = active.read_text().split() if active.exists() else []
    return f"ws://127.0.0.1:{lines[0]}{lines[1]}" if len(lines) == 2 else None


# A fresh profile's start took over 20 s once while the disk was busy; the test's own
# timeout (60 s) still bounds a browser that never comes up.
START_S = 45


async def _devtools_url(active: Path, proc: asyncio.subprocess.Process) -> str:
    async with asyncio.timeout(START_S):
        while not (url := _listening(active)):
            if proc.returncode is not None:
                raise RuntimeError(f"chromium exited with {proc.returncode}")
            await asyncio.sleep(0.02)
    return url


@contextlib.asynccontextmanager
async def browser(profile: Path, user_agent: str | None = VISITOR) -> AsyncIterator[Cdp]:
    """A running browser on `profile`; on exit it closes cleanly so its storage is flushed.
    `user_agent=None` keeps headless Chromium's own, as a crawler would."""
    assert CHROMIUM, "chromium is not installed"
    active = _fresh(profile)
    agent = [f"--user-agent={user_agent}"] if user_agent else []
    proc = await asyncio.create_subprocess_exec(
        CHROMIUM, *FLAGS, *agent, f"--user-data-dir={profile}", "about:blank",
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL)
    try:
        async with connect(await _devtools_url(active, proc)) as cdp:
            yield cdp
            with contextlib.suppress(ConnectionError):
                await cdp.send("Browser.close")
        async with asyncio.timeout(10):
            await proc.wait()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
