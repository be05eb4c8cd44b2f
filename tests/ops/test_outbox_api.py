"""The outbox API an admin uses when a CRM was down: what is parked and why, and a retry."""

from __future__ import annotations

import requests

from tests.ops.server import ACME, ADMIN, Server


def _as(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_parked_deliveries_are_listed_with_every_status_count(server: Server) -> None:
    listed = requests.get(f"{server.url}/api/webhooks/deliveries", headers=_as(ADMIN),
                          timeout=10).json()
    assert listed["status"] == "parked"
    assert {d["id"] for d in listed["deliveries"]} == {"d1", "d2"}
    assert listed["counts"]["parked"] == 2
    for query, reason in (("?stauts=parked", "stauts: unknown parameter"),
                          ("?status=lost", "status must be one of"),
                          ("?limit=0", "limit must be a whole number")):
        refused = requests.get(f"{server.url}/api/webhooks/deliveries{query}",
                               headers=_as(ADMIN), timeout=10)
        assert refused.status_code == 400 and reason in refused.json()["error"], query
    assert requests.get(f"{server.url}/api/webhooks/deliveries", headers=_as(ACME),
                        timeout=10).status_code == 403


def test_retry_requeues_a_parked_delivery_and_refuses_anything_else(server: Server) -> None:
    def retry(delivery: str, token: str = ADMIN) -> requests.Response:
        return requests.post(f"{server.url}/api/webhooks/deliveries/{delivery}/retry",
                             headers=_as(token), timeout=10)

    assert retry("d1", ACME).status_code == 403
    done = retry("d1")
    assert done.status_code == 200 and done.json()["retried"] is True
    assert done.json()["delivery"]["status"] != "parked"
    again = retry("d3")  # pending: nothing to retry
    assert again.status_code == 409 and "only a parked delivery" in again.json()["error"]
    assert retry("nope").status_code == 404
