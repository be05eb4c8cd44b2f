"""The inventory's say over which config runs: at serve start and at every reload, the loaded
config is synced into the store's inventory and admitted with its released numbers out of
service, or refused (kept out, like a bad file) when it puts a number still cooling off into
another campaign. `check --db` asks the same question without writing."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from callserver.config.errors import ConfigError, ConfigIssue
from callserver.config.resolve import ResolvedConfig
from callserver.live import AdmitUnavailable
from callserver.numbers.config_view import in_service, listed
from callserver.numbers.database import Target, connected, read_only, reading, write
from callserver.numbers.places import conflict_issues
from callserver.numbers.plan import SyncPlan, plan_sync
from callserver.store import inventory

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def cooling_off(config: ResolvedConfig) -> timedelta:
    return timedelta(days=config.model.numbers_cooling_off_days)


class InventoryGate:
    """`LiveConfig`'s admission step: `gate(loaded)` is the config to run, or a ConfigError;
    `db` is a SQLite file or a PostgreSQL URL, as `serve --db` takes them."""

    def __init__(self, db: Target, clock: Clock = lambda: datetime.now(UTC)) -> None:
        self.db = db
        self._clock = clock

    def __call__(self, loaded: ResolvedConfig) -> ResolvedConfig:
        try:
            with connected(self.db) as conn:
                plan = write(conn, sync, loaded, self._clock())
        except sqlite3.Error as error:  # PostgreSQL's errors arrive as sqlite3's too
            raise AdmitUnavailable(f"the number inventory could not be synced: {error}") from error
        for number in plan.released:
            log.info("number %s left the config: released, cooling off for %d days", number,
                     loaded.model.numbers_cooling_off_days)
        return in_service(loaded, plan.out_of_service)


def sync(conn: sqlite3.Connection, config: ResolvedConfig, now: datetime) -> SyncPlan:
    """Sync the inventory with `config` (one write); ConfigError, and no change, on conflict."""
    plan = _plan(conn, config, now)
    if plan.conflicts:
        raise ConfigError(conflict_issues(config, plan.conflicts, cooling_off(config)))
    inventory.save(conn, plan.changed)
    return plan


def check(db: Target, config: ResolvedConfig, now: datetime) -> list[ConfigIssue]:
    """What a reload of `config` against the database `db` would refuse; nothing is written."""
    with read_only(db) as conn:
        if conn is None or not reading(conn, inventory.exists):
            return []
        plan = reading(conn, _plan, config, now)
    return conflict_issues(config, plan.conflicts, cooling_off(config))


def as_served(db: Target, config: ResolvedConfig, now: datetime) -> ResolvedConfig:
    """`config` as serve would run it on `db`, its released numbers out of service, read-only:
    so `simulate --db` routes a released number as the real call is, back to the dialplan."""
    with read_only(db) as conn:
        if conn is None or not reading(conn, inventory.exists):
            return config
        plan = reading(conn, _plan, config, now)
    return in_service(config, plan.out_of_service)


def _plan(conn: sqlite3.Connection, config: ResolvedConfig, now: datetime) -> SyncPlan:
    return plan_sync(inventory.entries(conn), listed(config), cooling_off(config), now)
