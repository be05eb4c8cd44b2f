"""The inventory synced from the config at start and at each reload, on a real SQLite file;
`check --db`, reload and serve refuse a number cooling off that moves to another campaign."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callserver import cli
from callserver.config.errors import ConfigError
from callserver.config.loader import load_config
from callserver.live import LiveConfig
from callserver.numbers.database import connected
from callserver.numbers.gate import InventoryGate
from callserver.numbers.plan import Entry
from callserver.store import inventory
from tests.numbers.conftest import (
    CHICAGO,
    CONFIG,
    FALL,
    FALLBACK,
    POOL,
    SEARCH,
    line_of,
    moved_to_fall,
    without,
)
from tests.web.swap_support import START, Clock


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    config = tmp_path / "callserver.yaml"
    config.write_text(CONFIG)
    return config, tmp_path / "callserver.sqlite3"


def _inventory(db: Path) -> dict[str, Entry]:
    with connected(db) as conn:
        return inventory.entries(conn)


def test_start_fills_the_inventory_with_kinds_regions_campaigns_and_pools(
        files: tuple[Path, Path]) -> None:
    config, db = files
    LiveConfig(config, load_config(config), admit=InventoryGate(db, Clock()))
    found = _inventory(db)
    assert set(found) == {SEARCH, CHICAGO, *POOL, FALLBACK, FALL}
    assert (found[SEARCH].kind, found[SEARCH].region) == ("toll-free", "")
    assert (found[CHICAGO].kind, found[CHICAGO].region) == ("local", "Chicago, IL")
    assert (found[POOL[0]].campaign, found[POOL[0]].pool, found[POOL[0]].role) == (
        "spring", "website", "pool")
    assert found[FALLBACK].role == "fallback" and found[FALL].campaign == "fall"
    assert all(e.released_at is None and e.first_seen == START for e in found.values())


def test_a_reload_releases_a_number_that_left_the_config(files: tuple[Path, Path]) -> None:
    config, db = files
    clock = Clock()
    live = LiveConfig(config, load_config(config), admit=InventoryGate(db, clock))
    clock.advance(hours=1)
    config.write_text(without(CHICAGO))
    assert live.reload() == ()
    released = _inventory(db)[CHICAGO]
    assert (released.released_at, released.listed, released.campaign) == (
        clock.now, False, "spring")
    assert live.current.lookup(CHICAGO) is None


def test_a_reload_refuses_a_number_cooling_off_in_another_campaign(
        files: tuple[Path, Path]) -> None:
    config, db = files
    clock = Clock()
    live = LiveConfig(config, load_config(config), admit=InventoryGate(db, clock))
    config.write_text(without(CHICAGO))
    live.reload()
    kept = live.current.digest
    clock.advance(days=30)
    moved = moved_to_fall(CHICAGO, without(CHICAGO))
    config.write_text(moved)
    [issue] = live.reload()
    assert str(issue) == (
        f"{config}:{line_of(moved, CHICAGO)}: campaigns.fall.numbers.{CHICAGO}: number "
        f"{CHICAGO} was released from campaign 'spring' on 2026-03-02 and is cooling off: it "
        "may join campaign 'fall' from 2026-05-31 (numbers_cooling_off_days: 90)")
    assert live.current.digest == kept and _inventory(db)[CHICAGO].campaign == "spring"
    clock.advance(days=60)  # 90 days after the release: free
    assert live.reload() == ()
    moved_view = live.current.lookup(CHICAGO)
    assert moved_view is not None and moved_view.campaign == "fall"
    assert _inventory(db)[CHICAGO].released_at is None


def test_a_pool_number_cooling_off_is_named_by_its_place_in_the_list(
        files: tuple[Path, Path]) -> None:
    config, db = files
    clock = Clock()
    live = LiveConfig(config, load_config(config), admit=InventoryGate(db, clock))
    config.write_text(CONFIG.replace(f', "{POOL[1]}"', ""))
    live.reload()
    moved = CONFIG.replace(f', "{POOL[1]}"', "").replace(
        f'"{FALL}": {{source: tv}}', f'"{FALL}": {{source: tv}}\n    pools:\n'
        f'      web: {{numbers: ["{POOL[1]}"]}}\n'
        '    swap_target: "+18005550177"\n    sites: ["https://fall.example.com"]')
    config.write_text(moved)
    [issue] = live.reload()
    assert issue.path == "campaigns.fall.pools.web.numbers[0]"
    assert issue.line == line_of(moved, "web:") and "from 2026-05-31" in issue.message


def test_serve_start_refuses_the_same(files: tuple[Path, Path]) -> None:
    config, db = files
    LiveConfig(config, load_config(config), admit=InventoryGate(db, Clock()))
    config.write_text(without(CHICAGO))
    LiveConfig(config, load_config(config), admit=InventoryGate(db))
    config.write_text(moved_to_fall(CHICAGO, without(CHICAGO)))
    with pytest.raises(ConfigError, match="cooling off"):
        LiveConfig(config, load_config(config), admit=InventoryGate(db))
    done = subprocess.run(
        [sys.executable, "-m", "callserver", "serve", "--config", str(config), "--db", str(db),
         "--http", "127.0.0.1:0", "--agi", "127.0.0.1:0"],
        capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "cooling off" in done.stderr and "not starting: 1 errors" in done.stderr


def test_check_with_db_refuses_it_and_without_db_passes(
        files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    config, db = files
    clock = Clock(datetime.now(UTC) - timedelta(days=1))  # check reads the real clock
    LiveConfig(config, load_config(config), admit=InventoryGate(db, clock))
    config.write_text(without(CHICAGO))
    LiveConfig(config, load_config(config), admit=InventoryGate(db, clock))
    moved = moved_to_fall(CHICAGO, without(CHICAGO))
    config.write_text(moved)
    before = db.read_bytes()
    assert cli.main(["check", str(config), "--db", str(db)]) == 2
    out, err = capsys.readouterr()
    assert out.startswith(f"{config}:{line_of(moved, CHICAGO)}: campaigns.fall.numbers.")
    assert "may join campaign 'fall' from" in out and err == f"1 error in {config}\n"
    assert db.read_bytes() == before  # check writes nothing
    assert cli.main(["check", str(config)]) == 0
    assert cli.main(["check", str(config), "--db", str(db.with_name("none.sqlite3"))]) == 0
    assert not db.with_name("none.sqlite3").exists()
