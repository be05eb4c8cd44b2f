"""The SQLite store's repository tests, run unchanged on PostgreSQL.

Every test of `tests/store` that asks for nothing but the `store` fixture is collected here,
where `store` is a `PgStore` (tests/pg/conftest.py). Those that open a SQLite file themselves
(restarts, a second node on the same file) have PostgreSQL twins in test_nodes.py. `test_db`
is the SQLite `Store`'s own behaviour (WAL, PRAGMAs, rowids): test_pg_store.py covers
`PgStore`'s. A test that fails here because a repository's SQL is SQLite's own is listed in
KNOWN_FAILURES with the statement at fault; strict, so it must leave the list once fixed.
"""

import inspect
from collections.abc import Callable
from types import FunctionType, ModuleType
from typing import Any

import pytest

from tests.pg.known_sql import JSON_EACH, NULLS_FIRST, SUBQUERY_ALIAS, UPSERT_MAX
from tests.store import test_calls, test_events, test_leases, test_outbox, test_sessions

_POOL_SYNC = f"the pool is made with leases.sync_pool_numbers: {JSON_EACH}"
KNOWN_FAILURES: dict[str, str] = {
    "test_cap_counts_per_number_campaign_and_target": SUBQUERY_ALIAS,
    "test_sync_adds_new_numbers_and_drops_gone_ones_keeping_leases": _POOL_SYNC,
    "test_many_concurrent_visitors_never_share_a_number": _POOL_SYNC,
    "test_the_least_recently_freed_number_is_taken_first": f"{_POOL_SYNC}; {NULLS_FIRST}",
    "test_a_lease_expires_by_time_and_the_number_returns_to_the_pool": _POOL_SYNC,
    "test_the_same_session_keeps_its_number_and_extends_the_lease": _POOL_SYNC,
    "test_a_lapsed_lease_nobody_took_comes_back_to_its_session": _POOL_SYNC,
    "test_release_frees_a_live_lease_only": _POOL_SYNC,
    "test_a_new_session_is_stored_as_given": UPSERT_MAX,
    "test_a_revisit_keeps_the_landing_and_takes_the_latest_of_the_rest": UPSERT_MAX,
    "test_the_latest_session_of_a_visitor_and_of_a_number": UPSERT_MAX,
    "test_non_utc_instants_come_back_as_the_same_instant_in_utc": UPSERT_MAX,
}


def _portable(module: ModuleType) -> dict[str, Callable[..., Any]]:
    found = {}
    for name, test in vars(module).items():
        if name.startswith("test_") and set(inspect.signature(test).parameters) <= {"store"}:
            reason = KNOWN_FAILURES.get(name)
            twin = _twin(test)
            found[name] = twin if reason is None else pytest.mark.xfail(
                strict=True, reason=reason)(twin)
    return found


def _twin(test: Callable[..., Any]) -> Callable[..., Any]:
    """A copy of the test function, so that marking it here leaves the original unmarked."""
    twin = FunctionType(test.__code__, test.__globals__, test.__name__, test.__defaults__,
                        test.__closure__)  # type: ignore[attr-defined]
    twin.__dict__.update(test.__dict__)
    return twin


for _module in (test_calls, test_events, test_leases, test_outbox, test_sessions):
    globals().update(_portable(_module))
