"""Where a tracking number is: its country and, in the US and Canada, its state or province.

Both come from phonenumbers' own data. The country is the number's region code. The state or
province is read from its geocoder's English description, which for a NANP number names the
area code's state ("Illinois", "Chicago, IL", "Nova Scotia/Prince Edward Island"): area codes
never cross a state line, so that is exact. Elsewhere descriptions are towns ("Rome",
"Sydney") that map to no subdivision exactly, so only the country is known. Codes are ISO
3166-2 without the country prefix ("IL", "ON"), as MaxMind databases give them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from callserver.config.phone import facts

US_STATES: Mapping[str, str] = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC",
    "Washington D.C.": "DC", "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID",
    "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY",
    "Louisiana": "LA", "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA",
    "Michigan": "MI", "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO",
    "Montana": "MT", "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH",
    "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY", "North Carolina": "NC",
    "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR",
    "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD",
    "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA",
    "Washington": "WA", "Washington State": "WA", "West Virginia": "WV", "Wisconsin": "WI",
    "Wyoming": "WY",
}
CA_PROVINCES: Mapping[str, str] = {
    "Alberta": "AB", "British Columbia": "BC", "British Colombia": "BC", "Manitoba": "MB",
    "New Brunswick": "NB", "Newfoundland and Labrador": "NL", "Nova Scotia": "NS",
    "Northwest Territories": "NT", "Nunavut": "NU", "Ontario": "ON",
    "Prince Edward Island": "PE", "Quebec": "QC", "Saskatchewan": "SK", "Yukon": "YT",
}
SUBDIVISIONS: Mapping[str, Mapping[str, str]] = {"US": US_STATES, "CA": CA_PROVINCES}


@dataclass(frozen=True)
class Place:
    """A number's country (ISO 3166-1 alpha-2) and the subdivisions it serves (often none)."""

    country: str
    regions: frozenset[str]


def place_of(e164: str) -> Place | None:
    """None for a number of no country (global services such as +800)."""
    known = facts(e164)
    if not known.country.isalpha():
        return None
    return Place(known.country, regions_named(known.country, known.region))


def regions_named(country: str, text: str) -> frozenset[str]:
    """The subdivision codes a description or a name names: "Chicago, IL", "Ontario",
    "Northwest Territories/Nunavut/Yukon"; none when it names a town or nothing known."""
    names = SUBDIVISIONS.get(country, {})
    codes = set(names.values())
    found: set[str] = set()
    for part in text.split("/"):
        _, comma, tail = part.rpartition(", ")
        code = tail.strip() if comma else names.get(part.strip(), "")
        if code not in codes:
            return frozenset()
        found.add(code)
    return frozenset(found)
