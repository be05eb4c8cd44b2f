"""Phone numbers: any common spelling in, E.164 out, with the kind and region of the number."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType, geocoder

DEFAULT_REGION = "US"

_KINDS = {
    PhoneNumberType.TOLL_FREE: "toll-free",
    PhoneNumberType.FIXED_LINE: "local",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "local",
    PhoneNumberType.MOBILE: "mobile",
}


@dataclass(frozen=True)
class NumberFacts:
    """What the digits alone tell about a tracking number."""

    e164: str
    kind: str  # local | toll-free | mobile | other
    country: str  # ISO 3166 alpha-2
    region: str  # e.g. "Chicago, IL" or "" when the digits do not say


@lru_cache(maxsize=8192)
def to_e164(value: object, region: str = DEFAULT_REGION) -> str:
    """Normalise a spelling such as `(800) 555-0100` or `+44 20 7946 0000` to E.164.

    Raises ValueError with a message fit for a config error. Cached: parsing costs about
    100 µs, and the same caller and tracking numbers come back all day.
    """
    text = str(value).strip()
    if not text:
        raise ValueError("empty phone number")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"'{text}' is not a phone number") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"'{text}' is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def facts(e164: str) -> NumberFacts:
    """Kind (local or toll-free), country and region, from the numbering plan."""
    parsed = phonenumbers.parse(e164, None)
    kind = _KINDS.get(phonenumbers.number_type(parsed), "other")
    country = phonenumbers.region_code_for_number(parsed) or ""
    region = "" if kind == "toll-free" else geocoder.description_for_number(parsed, "en")
    return NumberFacts(e164=e164, kind=kind, country=country, region=region)
