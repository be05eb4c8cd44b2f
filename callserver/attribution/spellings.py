"""A tracking number as pages write it: (800) 555-0100, 800.555.0100, 1-800-555-0100,
+1 800 555 0100, 8005550100. The same pattern swap/swap.js swaps, so that "is my snippet
installed?" reports what the snippet would do."""

from __future__ import annotations

import re

import phonenumbers

_SEPARATOR = r"[\s().\u2010-\u2013-]{0,2}"


def spelling_pattern(e164: str) -> re.Pattern[str]:
    """Any spelling of the number: separators between digits, the country code optional."""
    country = str(phonenumbers.parse(e164, None).country_code)
    national = e164.lstrip("+")[len(country):]
    prefix = rf"(?:\+?{_SEPARATOR.join(country)}{_SEPARATOR})?"
    return re.compile(rf"(?<![\d+])({prefix}\(?{_SEPARATOR.join(national)})(?!\d)")


def find_spellings(text: str, pattern: re.Pattern[str]) -> list[str]:
    return [match.strip() for match in pattern.findall(text)]


def respell(found: str, e164: str) -> str:
    """`e164` written the way `found` was: digit for digit, from the right."""
    digits = e164.lstrip("+")[-sum(ch.isdigit() for ch in found):]
    fill = iter(digits)
    return "".join(next(fill) if ch.isdigit() else ch for ch in found)
