"""A reload on one node is picked up by the others: two real `callserver serve` processes on
one private PostgreSQL, each with its own copy of the config file, and the decision alone."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callserver.cluster.follow_plan import (
    Action,
    FollowState,
    after_publish,
    after_reload,
    decide,
)
from tests.pg.conftest import pg_server, pg_url  # noqa: F401  (fixtures)
from tests.serve.conftest import ADMIN_TOKEN, DEMO, Server, free_port

CHECK_S = 0.2
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
RETRY = timedelta(seconds=60)


def test_a_node_publishes_after_its_own_reload() -> None:
    assert decide(FollowState(known="old"), "new", "old", NOW, RETRY) is Action.PUBLISH


def test_a_node_reloads_when_the_cluster_runs_another_digest() -> None:
    assert decide(FollowState(known="old"), "old", "new", NOW, RETRY) is Action.RELOAD


def test_nothing_to_do_when_in_step_or_before_any_reload() -> None:
    assert decide(FollowState(known="same"), "same", "same", NOW, RETRY) is Action.NOTHING
    assert decide(FollowState(known="same"), "same", None, NOW, RETRY) is Action.NOTHING


def test_a_file_that_did_not_follow_is_tried_again_only_after_the_retry_time() -> None:
    state = after_reload("old", "new", NOW)
    assert decide(state, "old", "new", NOW + RETRY / 2, RETRY) is Action.NOTHING
    assert decide(state, "old", "new", NOW + RETRY, RETRY) is Action.RELOAD


def test_following_to_a_different_file_never_publishes_it() -> None:
    """Two nodes with different files would otherwise chase each other's digests for ever."""
    state = after_reload("mine", "theirs", NOW)
    assert decide(state, "mine", "theirs", NOW, RETRY) is Action.NOTHING
    assert decide(after_publish(state, "mine"), "mine", "theirs", NOW, RETRY) is Action.NOTHING


def _node(directory: Path, db: str) -> Server:
    directory.mkdir()
    config = directory / "callserver.yaml"
    shutil.copy(DEMO, config)
    ports = {name: free_port() for name in ("http", "agi", "ami")}
    log = directory / "serve.log"
    env = {**os.environ, "CALLSERVER_ADMIN_TOKEN": ADMIN_TOKEN, "CALLSERVER_NODE": directory.name,
           "CALLSERVER_CONFIG_CHECK_S": str(CHECK_S)}
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "callserver", "serve", "--config", str(config), "--db", db,
             "--http", f"127.0.0.1:{ports['http']}", "--agi", f"127.0.0.1:{ports['agi']}",
             "--ami", f"127.0.0.1:{ports['ami']}"],
            stdout=sink, stderr=subprocess.STDOUT, text=True, env=env)
    server = Server(proc, config, directory / "unused.sqlite3", log=log, **ports)
    server.wait_for_log("HTTP listening", timeout=30)
    return server


@pytest.fixture
def nodes(tmp_path: Path, pg_url: str) -> Iterator[tuple[Server, Server]]:  # noqa: F811
    started = [_node(tmp_path / name, pg_url) for name in ("a", "b")]
    yield started[0], started[1]
    for server in started:
        server.proc.terminate()
        server.proc.wait(timeout=15)


def _digest(server: Server) -> str:
    status, body = server.get("/healthz")
    assert status == 200, body
    return str(json.loads(body)["config"])


def _wait_for_digest(server: Server, expected: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while _digest(server) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"config never became {expected}:\n{server.output()}")
        time.sleep(CHECK_S / 2)


def _edit(server: Server, text: str) -> None:
    server.config.write_text(server.config.read_text() + text)


def _reload(server: Server) -> dict[str, object]:
    status, body = server.get("/api/config/reload", token=ADMIN_TOKEN, method="POST")
    answer: dict[str, object] = json.loads(body)
    assert status == 200, answer
    return answer


def test_a_reload_through_the_api_on_one_node_is_followed_by_the_other(
    nodes: tuple[Server, Server],
) -> None:
    a, b = nodes
    before = _digest(b)
    for node in nodes:  # the deployment: the same new file on every node
        _edit(node, "\n# deployed again\n")
    after = str(_reload(a)["config"])
    assert after != before
    _wait_for_digest(b, after)
    b.wait_for_log(f"cluster runs config {after}")


def test_a_sighup_on_one_node_is_followed_by_the_other(nodes: tuple[Server, Server]) -> None:
    a, b = nodes
    before = _digest(a)
    for node in nodes:
        _edit(node, "\n# deployed by a script that sends SIGHUP\n")
    a.signal(signal.SIGHUP)
    a.wait_for_log("config reloaded")
    after = _digest(a)
    assert after != before
    _wait_for_digest(b, after)


def test_a_node_whose_file_is_not_valid_keeps_its_config_and_says_why(
    nodes: tuple[Server, Server],
) -> None:
    a, b = nodes
    before = _digest(b)
    _edit(a, "\n# deployed again\n")
    _edit(b, "\nnot: [valid\n")
    after = str(_reload(a)["config"])
    b.wait_for_log(f"cluster runs config {after}")
    b.wait_for_log("reload refused")
    assert _digest(b) == before
    assert _digest(a) == after
