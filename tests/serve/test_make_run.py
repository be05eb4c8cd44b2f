"""The README's two commands: what `make run` and `make test` do on a clone with no `.venv`.

`make -n` shows the recipe without running it; the serve line it shows is then run as make
would run it (from a scratch copy, on free ports), so a Makefile that stops serving the demo
fails here.
"""

from __future__ import annotations

import json
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from tests.serve.conftest import DEMO, ROOT, Server, free_port


def _recipe(target: str, venv: Path) -> list[str]:
    done = subprocess.run(["make", "--no-print-directory", "-n", target, f"VENV={venv}"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def _installs_first(recipe: list[str], venv: Path) -> None:
    assert recipe[0] == f"test -x {venv}/bin/python || python3 -m venv {venv}"
    assert f"{venv}/bin/python -m pip install --quiet -e '.[test]'" in recipe


def test_make_test_creates_the_environment_then_runs_the_whole_suite(tmp_path: Path) -> None:
    venv = tmp_path / "fresh"
    recipe = _recipe("test", venv)
    _installs_first(recipe, venv)
    assert recipe[-1] == f"{venv}/bin/python -m pytest"


def test_make_run_serves_the_demo_with_its_database_under_var(tmp_path: Path) -> None:
    venv = tmp_path / "fresh"
    recipe = _recipe("run", venv)
    _installs_first(recipe, venv)
    assert recipe[-2:] == ["mkdir -p var", f"{venv}/bin/callserver serve --config "
                           "examples/demo.yaml --db var/callserver.sqlite3"]
    (tmp_path / "examples").mkdir()
    shutil.copy(DEMO, tmp_path / "examples" / "demo.yaml")
    (tmp_path / "var").mkdir()
    ports = {name: free_port() for name in ("http", "agi", "ami")}
    moved = [arg for name, port in ports.items() for arg in (f"--{name}", f"127.0.0.1:{port}")]
    log = tmp_path / "run.log"
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "callserver", *shlex.split(recipe[-1])[1:], *moved],
            cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT, text=True)
    server = Server(proc, tmp_path / "examples" / "demo.yaml",
                    tmp_path / "var" / "callserver.sqlite3", log=log, **ports)
    try:
        server.wait_for_log("HTTP listening")
        status, body = server.get("/healthz")
        assert status == 200 and json.loads(body)["status"] == "ok"
        assert isinstance(server.db, Path) and server.db.is_file()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
