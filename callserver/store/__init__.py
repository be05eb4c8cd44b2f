"""The SQLite store: `open_store(path)` gives a `Store`; the repository modules beside it
(`sessions`, `leases`, `calls`, `events`, `outbox`) are functions of a connection that callers
run through `Store.write` and `Store.read`, one thread hop per request."""

from callserver.store.db import Store, open_store

__all__ = ["Store", "open_store"]
