"""The database edge: files mmdb-writer writes are read by maxminddb, in its C and pure-Python
modes alike, and a record becomes the visitor's country and region."""

from __future__ import annotations

from pathlib import Path

import maxminddb
import pytest

from callserver.numbers.geo.lookup import GeoDatabase, location_of
from callserver.numbers.geo.nearest import Location
from tests.numbers.geo.mmdb_support import (
    CHICAGO,
    LONDON,
    NEW_YORK,
    NOWHERE,
    SEATTLE_V6,
    TORONTO,
    city,
    write_mmdb,
)


@pytest.mark.parametrize("mode", [maxminddb.MODE_MMAP_EXT, maxminddb.MODE_FILE])
def test_maxminddb_reads_what_mmdb_writer_wrote(tmp_path: Path, mode: int) -> None:
    if mode == maxminddb.MODE_MMAP_EXT and maxminddb.extension is None:
        pytest.skip("maxminddb's C extension is not installed here")
    path = write_mmdb(tmp_path / "city.mmdb")
    with maxminddb.open_database(str(path), mode) as reader:
        assert reader.metadata().database_type == "GeoIP2-City"
        assert reader.get(CHICAGO) == city("US", "IL")
        assert reader.get(SEATTLE_V6) == city("US", "WA")
        assert reader.get(NOWHERE) is None


def test_lookup_gives_country_and_region(tmp_path: Path) -> None:
    db = GeoDatabase(write_mmdb(tmp_path / "city.mmdb"))
    try:
        assert db.locate(CHICAGO) == Location("US", "IL")
        assert db.locate(NEW_YORK) == Location("US", "NY")
        assert db.locate(TORONTO) == Location("CA", "ON")
        assert db.locate(LONDON) == Location("GB", "ENG")
        assert db.locate(SEATTLE_V6) == Location("US", "WA")
        assert "GeoIP2-City" in db.description
    finally:
        db.close()


def test_addresses_it_cannot_place_are_none_never_an_error(tmp_path: Path) -> None:
    db = GeoDatabase(write_mmdb(tmp_path / "v4.mmdb", {"198.51.100.0/24": city("US")},
                                ipv6=False, kind="GeoIP2-Country"))
    try:
        assert db.locate(CHICAGO) == Location("US", None)
        assert db.locate(SEATTLE_V6) is None  # IPv6 in an IPv4-only file
        assert db.locate(NOWHERE) is None
        assert db.locate("not an address") is None
    finally:
        db.close()


def test_a_missing_or_broken_file_is_refused_when_opened(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        GeoDatabase(tmp_path / "absent.mmdb")
    broken = tmp_path / "broken.mmdb"
    broken.write_bytes(b"not a database" * 100)
    with pytest.raises(ValueError, match="MaxMind DB"):
        GeoDatabase(broken)


@pytest.mark.parametrize(("record", "location"), [
    (city("US", "IL"), Location("US", "IL")),
    ({"country": {"iso_code": "us"}, "subdivisions": [{"iso_code": "il"}]}, Location("US", "IL")),
    ({"registered_country": {"iso_code": "DE"}}, Location("DE", None)),
    ({"country": {"iso_code": "CA"}, "subdivisions": [{"names": {"en": "Quebec"}}]},
     Location("CA", "QC")),  # a database that names subdivisions but gives no codes
    ({"country": {"iso_code": "GB"}, "subdivisions": [{"names": {"en": "England"}}]},
     Location("GB", None)),
    ({"continent": {"code": "EU"}}, None),
    ({"country": "US"}, None),
    ({"country": {"iso_code": "US"}, "subdivisions": "IL"}, Location("US", None)),
])
def test_location_of_record(record: dict[str, object], location: Location | None) -> None:
    assert location_of(record) == location
