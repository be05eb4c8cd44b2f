"""What of a visitor is kept, and for how long, and the limits one client is held to."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from callserver.config.schema.base import EnvName, Strict


class Privacy(Strict):
    """What of a visitor's IP address is kept with the session, and for how long."""

    ip: Literal["full", "truncate", "hash"] = Field(
        "full", description="full; truncate: only the /24 (IPv4) or /48 (IPv6) network; hash: "
                            "a keyed SHA-256, comparable but not readable.")
    ip_hash_key_env: EnvName | None = Field(
        None, description="Variable holding the key for `ip: hash`; without it, a random key "
                          "per run (hashes then differ across restarts).")
    erase_after_days: int | None = Field(
        None, ge=1, le=3650,
        description="Days after a session's last page view when its IP address and user agent "
                    "are erased (hourly); its attribution (source, landing page, UTM tags, "
                    "click ids, captured cookies) stays. Absent: kept.")


class Attribution(Strict):
    """How a call finds the web session behind it, and how far one client may lease numbers."""

    grace_s: int = Field(
        300, ge=0, le=86_400,
        description="A call to a pool number this long after its lease ended still goes to "
                    "the session that held it.")
    merge_window_s: int = Field(
        1800, ge=0, le=86_400,
        description="A session that began longer than this before the call is a separate, "
                    "unmerged touch.")
    leases_per_ip: int = Field(
        20, ge=1, description="Live pool leases one IP address may hold; beyond, the fallback.")
    leases_per_visitor: int = Field(
        2, ge=1, description="Live pool leases one visitor may hold in a campaign.")
