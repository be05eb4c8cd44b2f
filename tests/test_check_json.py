"""`callserver check --json`: what CI and editors read, the same findings as the text output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from callserver.cli import main
from tests.config.test_demo import DEMO_VARIABLES

ROOT = Path(__file__).parents[1]
WARNED = ("sources:\n  a: {type: onsite, position: 1, match: {always: true}}\n"
          "  b: {type: onsite, position: 2, match: {direct: true}}\n"
          "campaigns:\n  spring: {numbers: {'(800) 555-0101': {source: a}, "
          "'(800) 555-0102': {source: b}}}\n")


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["check", "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_a_good_file_lists_its_campaigns(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    for name in DEMO_VARIABLES:
        monkeypatch.setenv(name, "x")
    code, report = _check(capsys, str(ROOT / "examples" / "demo.yaml"))
    assert code == 0 and report["ok"] is True
    assert report["errors"] == [] and report["warnings"] == []
    assert len(report["campaigns"]) == 2


def test_errors_come_with_file_line_and_path(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("campaigns:\n  spring:\n    routing: {strategy: random}\n")
    code, report = _check(capsys, str(bad))
    assert code == 2 and report["ok"] is False and report["campaigns"] == []
    [error] = report["errors"]
    assert (error["file"], error["line"], error["path"]) == (
        str(bad), 3, "campaigns.spring.routing.strategy")
    assert error["text"].startswith(f"{bad}:3: campaigns.spring.routing.strategy: ")


def test_warnings_pass_unless_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warned = tmp_path / "warned.yaml"
    warned.write_text(WARNED)
    code, report = _check(capsys, str(warned))
    assert code == 0 and report["ok"] is True
    [warning] = report["warnings"]
    assert warning["path"] == "sources.b.match"
    assert warning["text"].startswith(f"{warned}:3: warning: sources.b.match: never")
    code, report = _check(capsys, "--strict", str(warned))
    assert code == 2 and report["ok"] is False
