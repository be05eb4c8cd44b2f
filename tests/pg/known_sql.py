"""Repository statements that are SQLite's own, each failing (or answering differently) on
PostgreSQL: the reasons the tests of tests/pg expect to fail there until they are rewritten.
A test marked with one fails strictly, so a rewrite that fixes it must take its mark away."""

JSON_EACH = ("json_each(?) is SQLite's table of a JSON array: on PostgreSQL json_each(json) "
             "yields json values, and `text IN (SELECT value ...)` has no operator")
UPSERT_MAX = ("visitor_sessions upsert: unqualified columns in DO UPDATE SET are ambiguous on "
              "PostgreSQL, and max(a, b) is SQLite's scalar max (greatest on PostgreSQL)")
SUBQUERY_ALIAS = "calls.count_since: PostgreSQL 15 requires an alias on a subquery in FROM"
NULLS_FIRST = ("leases._TAKE orders by expires_at: SQLite puts NULL (never leased) first, "
               "PostgreSQL last, so a used number is taken before a never-leased one")
SQLITE_MASTER = "inventory.exists reads sqlite_master, which PostgreSQL has not"
WHERE_1 = "reports.filters.where gives `WHERE 1` for no filter: PostgreSQL wants a boolean"
SUM_BOOL = ("reports.summary: sum(status = ?) sums booleans (no sum(boolean) on PostgreSQL) "
            "and total() is SQLite's")
