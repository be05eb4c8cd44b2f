"""The command line: check, schema, the generated reference page, version."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from callserver import __version__
from callserver.cli import main
from callserver.config.reference import markdown_reference

ROOT = Path(__file__).parents[1]


def test_check_accepts_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
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
