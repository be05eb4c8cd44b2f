"""Schemathesis against a real server on a loopback port: for every operation of the OpenAPI
document, generated requests (valid ones, and invalid ones the server must refuse) get no 500
and no response that breaks the documented status codes, content types, headers or schemas.

Bounded and repeatable: a few examples per operation, derandomized, no example database. Sent
with the admin's token (schemathesis also tries each guarded route without it).

`POST /api/snippet-test` fetches whatever URL it is given, so here its fetch is replaced by one
that applies the real fetch's refusals (scheme, non-public addresses) and then answers a canned
page instead of opening a connection: generated URLs and `allow_private: true` cannot reach any
host, on or off this machine. Its real fetches are tested in tests/web/test_swap_snippet_test.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from callserver.web import snippet_test
from callserver.web.openapi import DOCUMENT
from tests.ops.server import ADMIN, Server, ServerThread

EXAMPLES = 12
PAGE = ('<html><body><script src="/swap.js" async data-campaign="spring"></script>'
        '<p>Call (800) 555-0100</p></body></html>')
# Where a schema-valid request may still be refused with a 400, because what it gets wrong is
# not expressible in JSON Schema: a campaign the config does not have, a string that is no
# phone number or ISO-8601 time, `from` after `to`, a forged cursor, a host that is not public.
# Everywhere else a valid request must be accepted.
SEMANTIC_400 = ("/swap/session", "/api/calls", "/api/reports", "/api/snippet-test")
# Query strings are text: a "schema-violating" value (the number 0.1 for a string, the list [1]
# for an integer) often reaches the server as the same text as a valid one, so the check that
# invalid requests are refused is left to the JSON bodies; the query's own parsing is fuzzed by
# tests/reports/test_query_fuzz.py and tests/ops/test_openapi.py's unknown-parameter test.
TEXT_QUERY = ("/api/calls", "/api/reports", "/api/webhooks/deliveries")
ACCEPTS = ["2xx", "3xx", "400", "401", "403", "404", "409"]


def _checks(path: str) -> dict[str, object]:
    checks: dict[str, object] = {}
    if path in SEMANTIC_400:
        checks["positive_data_acceptance"] = {"expected-statuses": ACCEPTS}
    if path in TEXT_QUERY:
        checks["negative_data_rejection"] = {"enabled": False}
    return {"include-path": path, "checks": checks}


CONFIG = schemathesis.Config.from_dict(
    {"operations": [_checks(path) for path in sorted({*SEMANTIC_400, *TEXT_QUERY})]})
schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)


async def offline_fetch(url: str, *, allow_private: bool = False) -> snippet_test.Page:
    snippet_test._check(url, allow_private)  # the real fetch's refusals, with its messages
    return snippet_test.Page(url, 200, PAGE, len(PAGE), False, 1)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(snippet_test, "fetch_page", offline_fetch)
        running = ServerThread(Path(tmp_path_factory.mktemp("schemathesis")))
        try:
            yield running.start()
        finally:
            running.stop()


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case[Any], api: Server,
                                             http: requests.Session) -> None:
    case.call_and_validate(base_url=api.url, session=http,
                           headers={"Authorization": f"Bearer {ADMIN}"}, timeout=10)
