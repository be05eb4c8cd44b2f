"""The SQLite store's repository tests, run unchanged on PostgreSQL.

Every test of `tests/store` that asks for nothing but the `store` fixture is collected here,
where `store` is a `PgStore` (tests/pg/conftest.py). Those that open a SQLite file themselves
(restarts, a second node on the same file) have PostgreSQL twins in test_nodes.py. `test_db`
is the SQLite `Store`'s own behaviour (WAL, PRAGMAs, rowids): test_pg_store.py covers
`PgStore`'s.
"""

import inspect
from collections.abc import Callable
from types import FunctionType, ModuleType
from typing import Any

from tests.store import test_calls, test_events, test_leases, test_outbox, test_sessions


def _portable(module: ModuleType) -> dict[str, Callable[..., Any]]:
    found = {}
    for name, test in vars(module).items():
        if name.startswith("test_") and set(inspect.signature(test).parameters) <= {"store"}:
            found[name] = _twin(test)
    return found


def _twin(test: Callable[..., Any]) -> Callable[..., Any]:
    """A copy of the test function, collected here as this module's own."""
    twin = FunctionType(test.__code__, test.__globals__, test.__name__, test.__defaults__,
                        test.__closure__)
    twin.__dict__.update(test.__dict__)
    return twin


for _module in (test_calls, test_events, test_leases, test_outbox, test_sessions):
    globals().update(_portable(_module))
