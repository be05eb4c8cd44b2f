"""The visitor's location from a MaxMind-format database (GeoIP2/GeoLite2 City or Country,
or any database with the same record layout), read with MaxMind's `maxminddb` reader.

The file is memory-mapped once (through the reader's C extension where it is installed) and
a lookup is a walk of its search tree: microseconds, no I/O per page view.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import maxminddb

from callserver.numbers.geo.nearest import Location
from callserver.numbers.geo.places import regions_named


class GeoDatabase:
    """An open database; `locate` never raises for a visitor's address."""

    def __init__(self, path: str | Path) -> None:
        """Raises OSError when the file cannot be read, ValueError when it is no database."""
        self.path = str(path)
        try:
            self._reader = maxminddb.open_database(self.path)
        except maxminddb.InvalidDatabaseError as exc:
            raise ValueError(str(exc)) from exc

    @property
    def description(self) -> str:
        meta = self._reader.metadata()
        return f"{meta.database_type}, built at epoch {meta.build_epoch}"

    def locate(self, ip: str) -> Location | None:
        """None for an address the database does not place in a country (private, unknown,
        IPv6 in an IPv4-only file)."""
        try:
            record = self._reader.get(ip)
        except (ValueError, maxminddb.InvalidDatabaseError):
            return None
        return location_of(record) if isinstance(record, Mapping) else None

    def close(self) -> None:
        self._reader.close()


def location_of(record: Mapping[str, Any]) -> Location | None:
    """Country from `country` (else `registered_country`); region from the first, largest
    subdivision's `iso_code`, or from its English name where a database gives only names."""
    country = _field(record, "country", "iso_code") or _field(
        record, "registered_country", "iso_code")
    if not isinstance(country, str) or not country:
        return None
    subdivisions = record.get("subdivisions")
    top = subdivisions[0] if isinstance(subdivisions, list) and subdivisions else {}
    region = top.get("iso_code") if isinstance(top, Mapping) else None
    if not isinstance(region, str):
        names = regions_named(country, str(_field(top, "names", "en") or ""))
        region = next(iter(names), None)
    return Location(country.upper(), region.upper() if region else None)


def _field(record: Any, outer: str, inner: str) -> Any:
    value = record.get(outer) if isinstance(record, Mapping) else None
    return value.get(inner) if isinstance(value, Mapping) else None
