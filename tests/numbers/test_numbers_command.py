"""`callserver numbers list | release` through the real CLI on real files: one or many numbers
released, leases ended, the config left alone and its lines to delete printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callserver import cli
from callserver.numbers.database import connected, write
from callserver.store import inventory, lease_reads, leases, pool_table
from tests.numbers.conftest import (
    CHICAGO,
    CONFIG,
    FALL,
    FALLBACK,
    POOL,
    SEARCH,
    line_of,
    without,
)

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    config = tmp_path / "callserver.yaml"
    config.write_text(CONFIG)
    return config, tmp_path / "callserver.sqlite3"


def numbers(files: tuple[Path, Path], *args: str) -> int:
    config, db = files
    action, *rest = args
    return cli.main(["numbers", action, "--config", str(config), "--db", str(db), *rest])


def listed(files: tuple[Path, Path], capsys: Capture, *args: str) -> list[dict[str, object]]:
    capsys.readouterr()
    assert numbers(files, "list", "--json", *args) == 0
    found: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return found


def test_release_one_number_prints_the_line_to_delete_and_keeps_the_file(
        files: tuple[Path, Path], capsys: Capture) -> None:
    config, _ = files
    assert numbers(files, "release", "(312) 555-0110") == 0
    out = capsys.readouterr().out
    assert f"released {CHICAGO} (spring, static); free for another campaign from " in out
    assert "1 number released; cooling off for 90 days" in out
    assert (f"{config}:{line_of(CONFIG, CHICAGO)}: campaigns.spring.numbers.{CHICAGO}: "
            f'"{CHICAGO}": {{source: tv}}') in out
    assert config.read_text() == CONFIG
    [row] = listed(files, capsys, "--state", "released")
    assert (row["number"], row["campaign"], row["state"], row["kind"]) == (
        CHICAGO, "spring", "released", "local")
    assert row["region"] == "Chicago, IL" and row["listed"] is True
    assert numbers(files, "release", CHICAGO) == 0
    assert f"{CHICAGO}: already released on " in capsys.readouterr().out


def test_release_ends_live_leases_and_the_number_is_never_leased_again(
        files: tuple[Path, Path], capsys: Capture) -> None:
    _, db = files
    now = datetime.now(UTC)
    with connected(db) as conn:
        write(conn, pool_table.sync_pools, {"spring/website": POOL})
        lease = write(conn, leases.acquire, "spring/website", "s1", now, timedelta(minutes=30))
    assert lease is not None and lease.number == POOL[0]
    assert numbers(files, "release", "--pool", "website") == 0
    out = capsys.readouterr().out
    assert f"released {POOL[0]} (spring/website, pool, lease ended)" in out
    assert f"released {POOL[1]} (spring/website, pool)" in out
    assert f"released {FALLBACK} (spring/website, fallback)" in out
    with connected(db) as conn:
        later = now + timedelta(hours=1)
        assert write(conn, leases.acquire, "spring/website", "s2", later,
                     timedelta(minutes=30)) is None
        assert lease_reads.live(conn, "spring/website", now) == []


def test_bulk_release_by_campaign_and_by_file(files: tuple[Path, Path], capsys: Capture,
                                              tmp_path: Path) -> None:
    assert numbers(files, "release", "--campaign", "fall") == 0
    assert f"released {FALL} (fall, static)" in capsys.readouterr().out
    listing = tmp_path / "numbers.txt"
    listing.write_text(f"# last spring's ads\n{SEARCH}\n\n+1 312 555 0110\n")
    assert numbers(files, "release", "--file", str(listing)) == 0
    assert "2 numbers released" in capsys.readouterr().out
    states = {row["number"]: row["state"] for row in listed(files, capsys)}
    assert states == {SEARCH: "released", CHICAGO: "released", FALL: "released",
                      POOL[0]: "active", POOL[1]: "active", FALLBACK: "active"}
    assert [r["number"] for r in listed(files, capsys, "--campaign", "fall")] == [FALL]


def test_a_reader_that_stops_reading_is_no_failure(files: tuple[Path, Path],
                                                   capsys: Capture) -> None:
    """`numbers release ... | head -1`: the release is done, so no database error and no
    exit status 2 (which says nothing was released)."""
    config, db = files
    read, write_end = os.pipe()
    os.close(read)  # a reader already gone: the first write fails with EPIPE
    try:
        done = subprocess.run([sys.executable, "-m", "callserver", "numbers", "release",
                               "--config", str(config), "--db", str(db), SEARCH],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, check=False)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (0, "")
    [row] = listed(files, capsys, "--state", "released")
    assert row["number"] == SEARCH


def test_an_unknown_number_releases_nothing(files: tuple[Path, Path], capsys: Capture) -> None:
    _, db = files
    assert numbers(files, "release", SEARCH, "+1 415 555 0100", "--campaign", "winter") == 2
    err = capsys.readouterr().err
    assert "not released: +1 415 555 0100: not a number callserver has tracked" in err
    assert "not released: campaign 'winter': no numbers in the inventory" in err
    assert "nothing released" in err
    with connected(db) as conn:
        assert inventory.entries(conn)[SEARCH].released_at is None
    assert numbers(files, "release") == 2


def test_list_shows_numbers_that_left_the_config_as_released(
        files: tuple[Path, Path], capsys: Capture) -> None:
    config, _ = files
    assert numbers(files, "list") == 0
    assert "no numbers yet" in capsys.readouterr().out
    assert numbers(files, "release", FALL) == 0  # fills the inventory from the file first
    config.write_text(without(CHICAGO))
    assert numbers(files, "release", SEARCH) == 0  # the sync before it releases CHICAGO
    capsys.readouterr()
    assert numbers(files, "list", "--state", "released") == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["number", "kind", "region", "campaign", "pool", "state",
                                "released_at", "free_at", "stray_calls"]
    assert [line.split()[0] for line in table[1:]] == [CHICAGO, SEARCH, FALL]
    gone = next(r for r in listed(files, capsys) if r["number"] == CHICAGO)
    assert (gone["state"], gone["listed"]) == ("released", False)
    assert listed(files, capsys, "--state", "available") == []
    assert numbers(files, "list", "--state", "available") == 0  # the table of none: its header
    assert capsys.readouterr().out.split() == table[0].split()


def test_list_finds_numbers_by_kind_country_region_and_prefix(
        files: tuple[Path, Path], capsys: Capture) -> None:
    assert numbers(files, "release", FALL) == 0  # fills the inventory from the file first

    def found(*args: str) -> list[str]:
        return sorted(str(r["number"]) for r in listed(files, capsys, *args))

    assert found("--kind", "toll-free") == sorted([SEARCH, FALLBACK, FALL])
    assert found("--kind", "local", "--country", "us", "--region", "il") == sorted(
        [CHICAGO, *POOL])
    assert found("--prefix", "+1 800") == sorted([SEARCH, FALLBACK])
    assert found("--prefix", "+1888", "--prefix", "+1312", "--state", "released") == [FALL]
    assert found("--region", "ON") == [] and found("--country", "CA") == []
    capsys.readouterr()
    assert numbers(files, "list", "--region", "Illinois") == 2
    assert ("region: expected a state or province code like IL or ON, got 'Illinois'"
            in capsys.readouterr().err)
