"""`GET /metrics` on a real server: the store's figures, the live ones, swap traffic as the swap
routes time it, who may scrape, and text a Prometheus parser accepts."""

from __future__ import annotations

import re
import socket
import time
from collections import defaultdict

import pytest
import requests

from callserver.web.exposition import Histogram, by_label, render, single
from tests.ops.server import ACME, ADMIN, SCRAPE, Server

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_]\w*="(?:[^"\\]|\\.)*",?)*\})? '
                     r"(\S+)$")
_LABEL = re.compile(r'([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"')
Samples = dict[str, dict[tuple[tuple[str, str], ...], float]]


def parse(text: str) -> tuple[Samples, dict[str, str]]:
    """Samples by name and labels, and each family's type; fails on any line the 0.0.4 text
    format would not accept, or a sample before its family's `# TYPE`."""
    samples: Samples = defaultdict(dict)
    types: dict[str, str] = {}
    assert text.endswith("\n")
    for line in text.splitlines():
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in ("counter", "gauge", "histogram") and name not in types
            types[name] = kind
            continue
        found = _SAMPLE.match(line)
        assert found, line
        name, labels, value = found.groups()
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
        assert family in types, f"{name} has no # TYPE"
        samples[name][tuple(_LABEL.findall(labels or ""))] = float(value)
    return samples, types


def scrape(server: Server, token: str | None = ADMIN) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(f"{server.url}/metrics", headers=headers, timeout=10)


def figures(server: Server) -> Samples:
    response = scrape(server)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    return parse(response.text)[0]


def swap(server: Server, **extra: str) -> requests.Response:
    return requests.post(f"{server.url}/swap/session", timeout=10, headers={
        "User-Agent": BROWSER}, json={"campaign": "spring", "url": "https://www.example.com/",
                                      **extra})


def test_store_figures_come_from_the_seeded_store(server: Server) -> None:
    got = figures(server)
    calls = got["callserver_calls"]
    assert calls[(("status", "answered"),)] == 2
    assert calls[(("status", "busy"),)] == 1
    assert calls[(("status", "in-progress"),)] == 1
    assert calls[(("status", "no-answer"),)] == 0  # every status is present
    outbox = got["callserver_webhook_outbox"]
    assert outbox[(("status", "parked"),)] == 2 and outbox[(("status", "pending"),)] == 1
    assert got["callserver_webhook_outbox_depth"][()] == 1
    assert got["callserver_webhook_failed"][()] == 2
    assert got["callserver_pool_numbers"] == {(("pool", "spring/website"),): 1}
    assert got["callserver_ami_connected"][()] == 0  # no AMI credentials: off
    assert got["callserver_config_warnings"][()] == 1  # its pool lists a static's source


def test_swap_traffic_leases_and_exhaustion(server: Server) -> None:
    assert swap(server).status_code == 200  # takes the pool's only number
    assert swap(server).status_code == 200  # a second visitor finds the pool exhausted
    assert swap(server, campaign="nope").status_code == 400
    requests.options(f"{server.url}/swap/session", timeout=10,
                     headers={"Origin": "https://www.example.com"})
    requests.get(f"{server.url}/healthz", timeout=10)  # not a swap: not counted
    got = figures(server)
    pool = (("pool", "spring/website"),)
    assert got["callserver_pool_leases_active"][pool] == 1
    assert got["callserver_pool_exhaustions_total"][pool] == 1
    assert got["callserver_swap_requests_total"] == {
        (("method", "POST"), ("code", "200")): 2, (("method", "POST"), ("code", "400")): 1,
        (("method", "OPTIONS"), ("code", "204")): 1}
    buckets = got["callserver_swap_request_duration_seconds_bucket"]
    counts = list(buckets.values())
    assert counts == sorted(counts) and buckets[(("le", "+Inf"),)] == 4
    assert got["callserver_swap_request_duration_seconds_count"][()] == 4
    assert 0 < got["callserver_swap_request_duration_seconds_sum"][()] < 4


def test_agi_sessions_live_counts_an_open_fastagi_connection(server: Server) -> None:
    from callserver.web.keys import AGI

    port = server.app[AGI].port
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        deadline = time.monotonic() + 5
        while figures(server)["callserver_agi_sessions"][()] != 1:
            assert time.monotonic() < deadline, "the open connection was never counted"
            time.sleep(0.02)
    deadline = time.monotonic() + 5
    while figures(server)["callserver_agi_sessions"][()] != 0:
        assert time.monotonic() < deadline, "the closed connection is still counted"
        time.sleep(0.02)


@pytest.mark.parametrize(("token", "status"), [
    (None, 401), ("wrong", 401), ("scrapé", 401), (ACME, 403), (SCRAPE, 200), (ADMIN, 200)])
def test_who_may_scrape(server: Server, token: str | None, status: int) -> None:
    assert scrape(server, token).status_code == status


def test_the_scrape_token_opens_nothing_else(server: Server) -> None:
    denied = requests.get(f"{server.url}/api/calls", timeout=10,
                          headers={"Authorization": f"Bearer {SCRAPE}"})
    assert denied.status_code == 401


def test_exposition_escapes_labels_and_accumulates_buckets() -> None:
    latency = Histogram((0.1, 1.0))
    for seconds in (0.05, 0.1, 0.5, 7.0):
        latency.observe(seconds)
    text = render([single("up", "gauge", "Up.\nreally", 1),
                   by_label("odd", "counter", "Odd labels.", "name",
                            {'a"b': 1, "c\\d": 2.5, "e\nf": 0}),
                   latency.family("lat_seconds", "Latency.")])
    assert "# HELP up Up.\\nreally" in text
    assert 'odd{name="a\\"b"} 1' in text and 'odd{name="c\\\\d"} 2.5' in text
    assert 'odd{name="e\\nf"} 0' in text
    samples, types = parse(text)
    assert types == {"up": "gauge", "odd": "counter", "lat_seconds": "histogram"}
    assert samples["lat_seconds_bucket"] == {
        (("le", "0.1"),): 2, (("le", "1"),): 3, (("le", "+Inf"),): 4}
    assert samples["lat_seconds_sum"][()] == pytest.approx(7.65)
    with pytest.raises(ValueError, match="increasing"):
        Histogram((1.0, 0.5))
