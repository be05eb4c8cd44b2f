"""A real `callserver serve` process on free loopback ports, and ways to talk to it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DEMO = ROOT / "examples" / "demo.yaml"
ADMIN_TOKEN = "test-admin-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    proc: subprocess.Popen[str]
    config: Path
    db: Path | str  # a SQLite file, or the PostgreSQL URL given as --db
    http: int
    agi: int
    ami: int
    log: Path

    def get(self, path: str, token: str | None = None,
            method: str = "GET") -> tuple[int, bytes]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.http}{path}", method=method)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def signal(self, sig: signal.Signals) -> None:
        self.proc.send_signal(sig)

    def output(self) -> str:
        return self.log.read_text()

    def wait_for_log(self, text: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"{text!r} never logged:\n{self.output()}")
            time.sleep(0.05)


def start_server(tmp_path: Path, env: dict[str, str] | None = None,
                 config: Path | None = None, wait: bool = True,
                 db: str | None = None) -> Server:
    config_file = tmp_path / "callserver.yaml"
    if not config_file.exists():
        shutil.copy(config or DEMO, config_file)
    ports = {name: free_port() for name in ("http", "agi", "ami")}
    log = tmp_path / f"serve-{ports['http']}.log"
    target: Path | str = db or tmp_path / "db.sqlite3"
    full_env = {**os.environ, "CALLSERVER_ADMIN_TOKEN": ADMIN_TOKEN, **(env or {})}
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "callserver", "serve", "--config", str(config_file),
             "--db", str(target), "--http", f"127.0.0.1:{ports['http']}",
             "--agi", f"127.0.0.1:{ports['agi']}", "--ami", f"127.0.0.1:{ports['ami']}"],
            stdout=sink, stderr=subprocess.STDOUT, text=True, env=full_env)
    server = Server(proc, config_file, target, log=log, **ports)
    if wait:
        server.wait_for_log("HTTP listening")
    return server


Launch = Callable[..., Server]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Launch]:
    started: list[Server] = []

    def launch(env: dict[str, str] | None = None, config: Path | None = None,
               wait: bool = True) -> Server:
        server = start_server(tmp_path, env=env, config=config, wait=wait)
        started.append(server)
        return server

    yield launch
    for server in started:
        if server.proc.poll() is None:
            server.proc.send_signal(signal.SIGKILL)
        server.proc.wait(timeout=10)
