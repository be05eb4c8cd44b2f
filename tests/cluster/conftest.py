"""Fixtures of other test directories for the tests of several nodes on one store: the
private PostgreSQL of tests/pg and the loopback webhook receiver of tests/webhooks."""

from tests.pg.conftest import either, pg_server, pg_url, store  # noqa: F401  (fixtures)
from tests.webhooks.conftest import receiver  # noqa: F401  (fixture)
