"""`callserver asterisk-conf`: writes the rendered files, owner-only; a bad config exits 2."""

from __future__ import annotations

import argparse
import stat
from pathlib import Path

import pytest

from callserver.asterisk import conf_command
from callserver.asterisk.conf import ConfOptions, render
from callserver.cli import main as cli_main
from callserver.config.loader import load_config

ROOT = Path(__file__).parents[2]
DEMO = ROOT / "examples" / "demo.yaml"
BROKEN = ROOT / "tests" / "config" / "broken" / "several_errors.yaml"


def run(argv: list[str], environ: dict[str, str]) -> int:
    parser = argparse.ArgumentParser(prog="callserver")
    conf_command.add_parser(parser.add_subparsers(dest="command", required=True))
    return conf_command.run(parser.parse_args(["asterisk-conf", *argv]), environ)


def test_writes_the_files_owner_only_and_exits_0(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "etc" / "asterisk"
    environ = {"CALLSERVER_AMI_SECRET": "s3cret", "BUYER_A_SIP": "u:p",
               "CALLSERVER_AMI_USER": "tracker"}
    argv = ["--config", str(DEMO), "--out", str(out), "--agi-host", "10.0.0.9",
            "--callserver-host", "10.0.0.9", "--callserver-host", "10.0.0.10"]
    assert run(argv, environ) == 0
    expected = render(load_config(DEMO), ConfOptions(
        agi_hosts=("10.0.0.9",), callserver_hosts=("10.0.0.9", "10.0.0.10"), ami_user="tracker"),
        environ).files
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    for name, text in expected.items():
        assert (out / name).read_text() == text
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [str(out / name) for name in expected]
    assert captured.err == ""


def test_rendering_again_replaces_the_files(tmp_path: Path) -> None:
    assert run(["--config", str(DEMO), "--out", str(tmp_path)], {}) == 0
    assert run(["--config", str(DEMO), "--out", str(tmp_path), "--ami-user", "other"],
               {"CALLSERVER_AMI_SECRET": "s3cret"}) == 0
    manager = (tmp_path / "manager.conf").read_text()
    assert "\n[other]\n" in manager and "\nsecret=s3cret\n" in manager
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "extensions.conf", "manager.conf", "pjsip.conf"]


def test_missing_secrets_are_warned_about_on_stderr(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--config", str(DEMO), "--out", str(tmp_path)], {}) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert all(line.startswith(f"{conf_command.PROG}: warning: ") for line in err)
    assert "CALLSERVER_AMI_SECRET is not set" in err[0]
    assert "BUYER_A_SIP is not set" in err[1]


def test_a_bad_config_is_reported_like_check_and_exits_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["check", str(BROKEN)]) == 2
    check = capsys.readouterr()
    assert run(["--config", str(BROKEN), "--out", str(tmp_path / "out")], {}) == 2
    ours = capsys.readouterr()
    assert (ours.out, ours.err) == (check.out, check.err)
    assert len(ours.out.splitlines()) > 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv", [["--callserver-host", "callserver.local"],
                                  ["--agi-host", "a b"], ["--agi-port", "0"],
                                  ["--ami-user", "x y"]])
def test_a_bad_option_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              argv: list[str]) -> None:
    assert run(["--config", str(DEMO), "--out", str(tmp_path / "out"), *argv], {}) == 2
    assert capsys.readouterr().err.startswith(f"{conf_command.PROG}: {argv[0]} ")
    assert not (tmp_path / "out").exists()


def test_an_unwritable_out_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    environ = {"BUYER_A_SIP": "u:p", "CALLSERVER_AMI_SECRET": "s"}
    assert run(["--config", str(DEMO), "--out", str(blocker)], environ) == 1
    assert capsys.readouterr().err.startswith(f"{conf_command.PROG}: cannot write to {blocker}")
    assert blocker.read_text() == "not a directory"
