"""The PostgreSQL store, for several callserver nodes on one database.

`open_pg_store(url)` gives a `PgStore` with `Store`'s contract, and the SQLite repository
functions run on it unchanged through a connection adapter.

Why psycopg 3 and not asyncpg: the repositories are synchronous functions of a connection,
composed by a caller into one function that costs one thread hop (see `callserver.store.db`).
psycopg's synchronous connection on one worker thread runs those very functions as they are,
with one hop per request as on SQLite. asyncpg is async-only: every statement would be its own
`await`, so each repository would need an async twin, and a request of several statements
would pay a round of the event loop per statement instead of one hop for all of them. The
statements themselves skip psycopg's cursor and run on its libpq binding (see `statements`).
"""

from callserver.store.pg.store import PgStore, open_pg_store

__all__ = ["PgStore", "open_pg_store"]
