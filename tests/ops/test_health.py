"""`GET /healthz` as a load balancer reads it: 200 while the node can take calls and visits,
503 with the failing part named once its store stops answering. The route is public: the
store's error is named by its class, and its message goes to the log, once per change."""

from __future__ import annotations

import logging
import sqlite3

import pytest
import requests

from callserver.web.health import StoreHealth
from tests.ops.server import Server

# What a PostgreSQL store raises (pg/errors.py turns psycopg errors into sqlite3 ones).
PG_DOWN = ('connection to server at "db.internal" (10.0.0.5), port 5432 failed: '
           'FATAL: password authentication failed for user "callserver"')


def test_a_healthy_node_says_so_and_names_each_part(server: Server) -> None:
    response = requests.get(f"{server.url}/healthz", timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["store"], body["agi"], body["ami"]) == (
        "ok", "ok", "listening", "off")
    assert len(body["config"]) == 12


def test_a_node_whose_store_stopped_answering_is_taken_out_of_rotation(server: Server) -> None:
    server.run(server.store.close())
    response = requests.get(f"{server.url}/healthz", timeout=10)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded" and body["agi"] == "listening"
    assert body["store"] == "failing: RuntimeError"


def test_the_stores_message_is_logged_once_and_never_answered(
        server: Server, caplog: pytest.LogCaptureFixture) -> None:
    server.run(server.store.close())
    with caplog.at_level(logging.ERROR, logger="callserver.web.health"):
        answers = [requests.get(f"{server.url}/healthz", timeout=10) for _ in range(3)]
    assert all(a.status_code == 503 and "store is closed" not in a.text for a in answers)
    logged = [r.getMessage() for r in caplog.records if r.name == "callserver.web.health"]
    assert logged == ["health: the store is failing: RuntimeError: store is closed"]


def test_each_change_of_the_stores_state_is_logged_once(
        caplog: pytest.LogCaptureFixture) -> None:
    health = StoreHealth()
    with caplog.at_level(logging.WARNING, logger="callserver.web.health"):
        for _ in range(2):
            health.answers()
        for _ in range(3):
            health.failing(sqlite3.OperationalError(PG_DOWN))
        health.failing(TimeoutError())
        health.answers()
        health.answers()
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("ERROR", f"health: the store is failing: OperationalError: {PG_DOWN}"),
        ("ERROR", "health: the store is failing: TimeoutError"),
        ("WARNING", "health: the store answers again")]
