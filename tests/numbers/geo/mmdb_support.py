"""Small MaxMind-format databases for tests, written with mmdb-writer in GeoIP2 City layout."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mmdb_writer import MMDBWriter
from netaddr import IPSet

# Documentation and benchmark networks (RFC 5737, 2544, 3849): never a real visitor.
CHICAGO = "198.51.100.7"
NEW_YORK = "198.51.100.200"
TORONTO = "203.0.113.9"
LONDON = "192.0.2.10"
NOWHERE = "198.18.0.1"
SEATTLE_V6 = "2001:db8::1"


def city(country: str, region: str | None = None) -> dict[str, Any]:
    """A record as GeoIP2/GeoLite2 City gives it (names trimmed to English)."""
    record: dict[str, Any] = {"country": {"iso_code": country, "names": {"en": country}}}
    if region is not None:
        record["subdivisions"] = [{"iso_code": region, "names": {"en": region}}]
    return record


NETWORKS: Mapping[str, dict[str, Any]] = {
    "198.51.100.0/25": city("US", "IL"),
    "198.51.100.128/25": city("US", "NY"),
    "203.0.113.0/24": city("CA", "ON"),
    "192.0.2.0/24": city("GB", "ENG"),
    "2001:db8::/32": city("US", "WA"),
}


def write_mmdb(path: Path, networks: Mapping[str, Mapping[str, Any]] = NETWORKS, *,
               ipv6: bool = True, kind: str = "GeoIP2-City") -> Path:
    """By default an IPv6 database that also answers IPv4 addresses, as MaxMind's files are."""
    writer = MMDBWriter(ip_version=6 if ipv6 else 4, ipv4_compatible=ipv6, database_type=kind,
                        languages=["en"], description="callserver test")
    for network, record in networks.items():
        writer.insert_network(IPSet([network]), dict(record))
    writer.to_db_file(str(path))
    return path
