"""A number's country and state or province come from phonenumbers' own data."""

from __future__ import annotations

import phonenumbers
import pytest
from phonenumbers import PhoneNumberType, geocoder

from callserver.numbers.geo.places import Place, place_of, regions_named

GEOGRAPHIC = (PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


@pytest.mark.parametrize(("number", "place"), [
    ("+13125550142", Place("US", frozenset({"IL"}))),     # described "Chicago, IL"
    ("+19075550100", Place("US", frozenset({"AK"}))),     # described "Alaska"
    ("+12025550100", Place("US", frozenset({"DC"}))),     # "Washington D.C."
    ("+12065550100", Place("US", frozenset({"WA"}))),     # "Washington State"
    ("+14165550100", Place("CA", frozenset({"ON"}))),
    ("+16045550100", Place("CA", frozenset({"BC"}))),
    ("+19025550100", Place("CA", frozenset({"NS", "PE"}))),
    ("+18675550100", Place("CA", frozenset({"NT", "NU", "YT"}))),
    ("+18005550101", Place("US", frozenset())),           # toll-free: no state
    ("+17875550100", Place("PR", frozenset())),           # its own country, as in MaxMind
    ("+442079460000", Place("GB", frozenset())),          # "London" is a town, not a region
])
def test_place_of_number(number: str, place: Place) -> None:
    assert place_of(number) == place


def test_a_number_of_no_country_has_no_place() -> None:
    assert place_of("+80012345678") is None


def test_every_us_and_canadian_area_code_phonenumbers_describes_has_its_region() -> None:
    """If a phonenumbers update spells a state another way, this says which."""
    described: dict[str, str] = {}
    for npa in range(200, 1000):
        number = f"+1{npa}5550100"
        parsed = phonenumbers.parse(number)
        if (phonenumbers.region_code_for_number(parsed) in ("US", "CA")
                and phonenumbers.number_type(parsed) in GEOGRAPHIC):
            described[number] = geocoder.description_for_number(parsed, "en")
    places = {number: place_of(number) for number, text in described.items() if text}
    assert len(places) > 300
    assert [(n, described[n]) for n, place in places.items()
            if place is None or not place.regions] == []


@pytest.mark.parametrize(("country", "text", "codes"), [
    ("US", "Springfield, IL", {"IL"}), ("US", "Illinois", {"IL"}), ("US", "", set()),
    ("US", "Springfield, ZZ", set()), ("US", "Ontario", set()), ("CA", "Ontario", {"ON"}),
    ("IT", "Rome", set()), ("CA", "Nova Scotia/Atlantis", set()),
])
def test_regions_named(country: str, text: str, codes: set[str]) -> None:
    assert regions_named(country, text) == codes
