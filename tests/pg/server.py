"""A private PostgreSQL server for the tests: initdb in a temporary directory, `postgres` on a
free loopback port with its socket in that directory, stopped (fast shutdown) at the end.

initdb and postgres refuse to run as root, so under root (CI, this machine) they run as the
`postgres` user Debian's package creates, in a directory handed to it. The superuser's password
is random, written only to a 0600 file for initdb, and given to clients through PGPASSWORD: the
URL the tests use (and may log) never holds it.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import psycopg

PASSWORD_ENV = "PGPASSWORD"
# One per test process: private servers that overlap (fixtures of several test directories)
# all accept the one PGPASSWORD the environment can hold.
PASSWORD = secrets.token_urlsafe(24)
USER = "callserver"
START_TIMEOUT_S = 30.0
_SETTINGS = {  # a throwaway test server: no crash safety, few resources
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
    "shared_buffers": "32MB",
    "max_connections": "40",
}


@dataclass(frozen=True)
class Server:
    """A running server; `url` holds no password (it is in the PGPASSWORD environment)."""

    url: str
    port: int


def bin_dir() -> Path:
    """Debian keeps the server's programs off PATH, under /usr/lib/postgresql/VERSION/bin."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql")
    return Path(initdb).resolve().parent


@contextlib.contextmanager
def private_postgres() -> Iterator[Server]:
    """Start a server for the duration of the block; PGPASSWORD is set meanwhile."""
    owner = _owner()
    # Under root, in /tmp itself: the postgres user must reach the directory, and TMPDIR may
    # be one only root can enter.
    root = Path(tempfile.mkdtemp(prefix="callserver-pg-", dir=None if owner is None else "/tmp"))
    try:
        if owner is not None:
            os.chown(root, owner.pw_uid, owner.pw_gid)
        password = PASSWORD
        _initdb(root, password, owner)
        port = _free_port()
        server = _start(root, port, owner)
        try:
            with _password(password):
                url = f"postgresql://{USER}@127.0.0.1:{port}/postgres"
                _wait_ready(url, server, root / "server.log")
                yield Server(url, port)
        finally:
            _stop(server)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _owner() -> pwd.struct_passwd | None:
    """Who runs the server: None for the current user, `postgres` if that is root."""
    if os.getuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError("running as root and no postgres user to run initdb as") from None


class _RunAs(TypedDict, total=False):
    """The subprocess arguments that run a child as another user."""

    user: int
    group: int
    extra_groups: list[int]


def _as(owner: pwd.struct_passwd | None) -> _RunAs:
    if owner is None:
        return {}
    return {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}


def _initdb(root: Path, password: str, owner: pwd.struct_passwd | None) -> None:
    pwfile = root / "pwfile"
    pwfile.write_text(password)
    pwfile.chmod(0o600)
    if owner is not None:
        os.chown(pwfile, owner.pw_uid, owner.pw_gid)
    try:
        done = subprocess.run(
            [str(bin_dir() / "initdb"), "-D", str(root / "data"), "-U", USER,
             "--pwfile", str(pwfile), "--auth", "scram-sha-256", "--encoding", "UTF8",
             "--locale", "C.UTF-8", "--no-sync"],
            capture_output=True, cwd=root, **_as(owner),
        )
    finally:
        pwfile.unlink()
    if done.returncode != 0:
        raise RuntimeError(f"initdb failed: {done.stderr.decode(errors='replace')}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start(root: Path, port: int, owner: pwd.struct_passwd | None) -> subprocess.Popen[bytes]:
    settings = [arg for name, value in _SETTINGS.items() for arg in ("-c", f"{name}={value}")]
    log = (root / "server.log").open("wb")
    with log:
        return subprocess.Popen(
            [str(bin_dir() / "postgres"), "-D", str(root / "data"), "-h", "127.0.0.1",
             "-p", str(port), "-k", str(root), *settings],
            stdout=log, stderr=subprocess.STDOUT, cwd=root, **_as(owner),
        )


def _wait_ready(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError as error:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"postgres did not start: {log.read_text()}") from error
            time.sleep(0.05)


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Fast shutdown: roll back open transactions, disconnect clients, exit."""
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=START_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextlib.contextmanager
def _password(password: str) -> Iterator[None]:
    before = os.environ.get(PASSWORD_ENV)
    os.environ[PASSWORD_ENV] = password
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PASSWORD_ENV, None)
        else:
            os.environ[PASSWORD_ENV] = before
