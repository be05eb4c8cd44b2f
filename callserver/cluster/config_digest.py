"""The cluster's config digest in the shared store: the file digest the last reload on any node
loaded. One row (`id = 1`); the SQL is the same on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import datetime

_RECORD = """
INSERT INTO cluster_config (id, digest, recorded_at) VALUES (1, ?, ?)
ON CONFLICT (id) DO UPDATE SET digest = excluded.digest, recorded_at = excluded.recorded_at
"""


def record(conn: sqlite3.Connection, digest: str, now: datetime) -> None:
    """This node reloaded: `digest` is now the config the cluster runs."""
    conn.execute(_RECORD, (digest, now.isoformat()))


def shared(conn: sqlite3.Connection) -> str | None:
    """The digest the last reload recorded, or None before any node reloaded."""
    row = conn.execute("SELECT digest FROM cluster_config WHERE id = 1").fetchone()
    return None if row is None else str(row[0])
