"""`GET /healthz` as a load balancer reads it: 200 while the node can take calls and visits,
503 with the failing part named once its store stops answering."""

from __future__ import annotations

import requests

from tests.ops.server import Server


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
    assert body["store"] == "failing: RuntimeError: store is closed"
