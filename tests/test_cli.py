"""The command line and what a new user meets first: check, schema, the generated reference
page, version, serve defaults, the README tour and the packaging behind the two commands."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from callserver import __version__
from callserver.cli import build_parser, main
from callserver.config.reference import markdown_reference
from tests.config.test_demo import DEMO_VARIABLES

ROOT = Path(__file__).parents[1]


def test_check_accepts_the_demo(capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    for name in DEMO_VARIABLES:
        monkeypatch.setenv(name, "x")
    assert main(["check", str(ROOT / "examples" / "demo.yaml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["plumbing", "insurance"]
    assert "3 static numbers" in lines[0] and "1 pool (4 numbers)" in lines[0]
    assert "routing weighted -> buyer-a, buyer-b" in lines[1]


def test_check_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["check", str(tmp_path / "nope.yaml")]) == 2
    out = capsys.readouterr().out
    assert out.startswith(f"{tmp_path / 'nope.yaml'}:1: cannot read the file")


def test_schema_is_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"campaigns", "sources", "targets", "schedules"} <= set(schema["properties"])
    campaign = schema["$defs"]["Campaign"]["properties"]
    assert {"swap_target", "routing", "prompts", "ivr", "conversion", "webhooks",
            "numbers", "pools"} <= set(campaign)
    assert schema["$defs"]["Campaign"]["additionalProperties"] is False


def test_docs_page_matches_the_schema() -> None:
    page = (ROOT / "docs" / "config.md").read_text()
    assert page == markdown_reference(), "run `make docs` to regenerate docs/config.md"


def test_console_script_version() -> None:
    done = subprocess.run([sys.executable, "-m", "callserver", "--version"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"callserver {__version__}"


def test_bad_hostport_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["serve", "--config", "x.yaml", "--http", "host:port"])
    assert caught.value.code == 2
    assert "is not HOST:PORT" in capsys.readouterr().err


def test_check_prints_every_error_and_exits_2(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """The README tour's edits of the demo give exactly the lines the README shows."""
    readme = (ROOT / "README.md").read_text()
    text = (ROOT / "examples" / "demo.yaml").read_text()
    broken = text.replace("ring_timeout: 20", "ring_timout: 20", 1).replace(
        "{source: google-ads, tags: {ad_group", "{source: gogle-ads, tags: {ad_group", 1)
    (tmp_path / "demo.yaml").write_text(broken)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "demo.yaml"]) == 2
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 2 and all(f"   {line}\n" in readme for line in lines), lines
    assert err == "2 errors in demo.yaml\n"


def test_the_readme_tour_shows_what_check_prints(capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a new machine, in the checkout: none of the demo's variables set."""
    for name in DEMO_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(ROOT)
    assert main(["check", "examples/demo.yaml"]) == 0
    readme = (ROOT / "README.md").read_text()
    for line in capsys.readouterr().out.splitlines():
        assert f"   {line}\n" in readme, line


def test_readme_shows_the_two_commands_first() -> None:
    readme = (ROOT / "README.md").read_text()
    sections = readme.split("\n## ")[1:]
    assert sections[0].startswith("Two commands")
    assert "make run " in sections[0] and "make test " in sections[0]
    assert sections[1].startswith("A five-minute tour")
    assert "[docs/config.md](docs/config.md)" in readme


def test_serve_binds_loopback_by_default() -> None:
    args = build_parser().parse_args(["serve", "--config", "c.yaml"])
    assert (args.http, args.agi, args.ami) == (("127.0.0.1", 8080), ("127.0.0.1", 4573),
                                               ("127.0.0.1", 5038))
    args = build_parser().parse_args(["serve", "--config", "c.yaml", "--http", "8081",
                                      "--agi", "0.0.0.0:4574", "--ami", "[::1]:5039"])
    assert (args.http, args.agi, args.ami) == (("127.0.0.1", 8081), ("0.0.0.0", 4574),
                                               ("::1", 5039))


def test_serve_help_names_each_side_and_its_default(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's ports (and the database's file), as `serve --help` says them."""
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for default in ("127.0.0.1:8080", "127.0.0.1:4573", "127.0.0.1:5038"):
        assert f"({default})" in text, default
    assert "(callserver.sqlite3 in the current directory)" in text


def test_the_installed_console_script_runs() -> None:
    script = Path(sys.executable).parent / "callserver"
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == f"callserver {__version__}"


def test_packaging_declares_the_runtime_and_test_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
    deps = {re.split(r"[<>=~!\[ ]", d, maxsplit=1)[0].lower(): d for d in project["dependencies"]}
    for name in ("aiohttp", "panoramisk", "rfcvoip", "aiosqlite", "jinja2", "pytz", "pyyaml",
                 "phonenumbers", "pydantic"):
        assert ">=" in deps[name], f"{name} needs a range"
    assert {"pytest", "pytest-asyncio", "pytest-timeout"} <= {
        re.split(r"[<>=~! ]", d, maxsplit=1)[0] for d in project["optional-dependencies"]["test"]}
    assert project["scripts"] == {"callserver": "callserver.cli:main"}


def test_ci_runs_make_test() -> None:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert lines[-1] == "make test"
