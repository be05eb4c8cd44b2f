"""A config, a store and a SIPp PBX for test calls; the PBX hands each call to callserver by
running `callserver simulate --record` into the store, as Asterisk's FastAGI hand-off would
write the record (SIPp cannot speak FastAGI)."""

from __future__ import annotations

import asyncio
import shlex
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from callserver.store.db import open_store
from tests.probe.pbx import SIPP, Pbx, start_pbx

needs_sipp = pytest.mark.skipif(not SIPP, reason="Debian's sip-tester (sipp) is not installed")
NUMBER = "+18005550101"
CALLER = "+13125550000"
CONFIG = """
targets:
  dispatch: {dial: "PJSIP/dispatch@pbx"}
  overflow: {dial: "PJSIP/overflow@pbx"}
campaigns:
  spring:
    routing: {targets: [{target: dispatch}]}
    ivr: {prompt: menu, options: {"2": {targets: [{target: overflow}]}}}
    numbers:
      "+18005550101": {}
"""


def record_command(config: Path, db: Path, digits: str) -> str:
    """What SIPp runs on an INVITE (the dialled number is appended): the real call flow,
    recording into the store, given the digits the caller presses."""
    return shlex.join([sys.executable, "-m", "callserver", "simulate", "--config", str(config),
                       "--from", CALLER, "--digits", digits, "--record", "--db", str(db),
                       "--to"])


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "callserver.yaml"
    path.write_text(CONFIG)
    return path


StartPbx = Callable[..., Pbx]


@pytest.fixture
def pbx(tmp_path: Path) -> Iterator[StartPbx]:
    started: list[Pbx] = []

    def start(record: str, **options: object) -> Pbx:
        started.append(start_pbx(tmp_path, record, **options))  # type: ignore[arg-type]
        return started[-1]

    yield start
    for each in started:
        each.stop()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """serve's store file, created (and migrated) as `serve` leaves it."""
    path = tmp_path / "db.sqlite3"

    async def create() -> None:
        await (await open_store(path)).close()

    asyncio.run(create())
    return path
