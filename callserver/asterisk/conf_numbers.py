"""The tracking numbers extensions.conf hands to callserver, in every spelling a carrier may
send (E.164, without the `+`, national), so a call reaches the AGI however the trunk writes
the number; a spelling two numbers share is left out and left to callserver to tell apart.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import phonenumbers

from callserver.config.resolve import NumberView, ResolvedConfig


@dataclass(frozen=True)
class Tracked:
    """A tracking number and the spellings of it the carrier may send, E.164 first."""

    e164: str
    forms: tuple[str, ...]
    note: str


def tracked_numbers(config: ResolvedConfig) -> tuple[Tracked, ...]:
    """Every number callserver answers; a spelling two numbers share is left to callserver."""
    forms = {e164: dial_forms(e164) for e164 in config.numbers}
    shared = Counter(form for spellings in forms.values() for form in set(spellings))
    return tuple(Tracked(e164, tuple(f for f in spellings if f == e164 or shared[f] == 1),
                         _note(config.numbers[e164]))
                 for e164, spellings in forms.items())


def dial_forms(e164: str) -> tuple[str, ...]:
    """`+18005550101` -> also `18005550101` and `8005550101`; `+442079460000` -> `02079460000`."""
    parsed = phonenumbers.parse(e164, None)
    national = re.sub(r"\D", "", phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.NATIONAL))
    spellings = (e164, e164.lstrip("+"), phonenumbers.national_significant_number(parsed),
                 national)
    return tuple(dict.fromkeys(spellings))


def _note(view: NumberView) -> str:
    where = f"pool {view.pool}" if view.pool else f"source {view.source or 'none'}"
    return f"{view.campaign}: {view.role} number, {where}"
