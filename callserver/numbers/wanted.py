"""Which numbers of the inventory a listing asks for: by state and campaign, and by what the
digits say, kind, country, state or province, and prefix (seed 002 chooses a number by type
and prefix: local area code or toll-free, by country and region). callserver buys no numbers,
so this is how an admin finds a free one of the right kind and area to put back in service:
`numbers list --state available --kind local --region IL`, or `--prefix +1312`.

One reading for `callserver numbers list` and `GET /api/numbers`, over the records both show.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from callserver.numbers.geo.places import regions_named
from callserver.numbers.plan import STATES

KINDS = ("local", "toll-free", "mobile", "other")
COUNTRY = re.compile(r"^[A-Za-z]{2}$")
REGION = re.compile(r"^[A-Za-z0-9]{1,3}$")
PREFIX = re.compile(r"^\+?[0-9][0-9 ().-]*$")


@dataclass(frozen=True)
class Wanted:
    """Every filter given must hold; within one filter, any of its values may. `regions` are
    ISO 3166-2 codes without the country ("IL", "ON"); `prefixes` E.164 starts ("+1312")."""

    states: frozenset[str] = frozenset()
    campaign: str | None = None
    kinds: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    @classmethod
    def of(cls, *, states: Collection[str] = (), campaign: str | None = None,
           kinds: Collection[str] = (), countries: Collection[str] = (),
           regions: Collection[str] = (), prefixes: Collection[str] = ()) -> Wanted:
        """Raises ValueError naming the first value that is not one of its filter's."""
        _only("state", states, STATES)
        _only("kind", kinds, KINDS)
        _shaped("country", countries, COUNTRY, "a two-letter country code like US")
        _shaped("region", regions, REGION, "a state or province code like IL or ON")
        _shaped("prefix", prefixes, PREFIX, "the start of an E.164 number like +1312")
        return cls(frozenset(states), campaign, frozenset(kinds),
                   frozenset(c.upper() for c in countries),
                   frozenset(r.upper() for r in regions),
                   tuple("+" + re.sub(r"\D", "", p) for p in prefixes))

    def admits(self, record: Mapping[str, Any]) -> bool:
        """`record` as the listings show a number: number, kind, country, region, campaign
        and state."""
        return ((not self.states or record["state"] in self.states)
                and self.campaign in (None, record["campaign"])
                and (not self.kinds or record["kind"] in self.kinds)
                and (not self.countries or record["country"] in self.countries)
                and (not self.regions or bool(self.regions & regions_named(
                    record["country"], record["region"] or "")))
                and (not self.prefixes or record["number"].startswith(self.prefixes)))


EVERY = Wanted()


def _only(name: str, given: Collection[str], choices: Collection[str]) -> None:
    if bad := [value for value in given if value not in choices]:
        raise ValueError(f"{name}: expected one of {', '.join(choices)}, got {bad[0]!r}")


def _shaped(name: str, given: Collection[str], shape: re.Pattern[str], what: str) -> None:
    if bad := [value for value in given if not shape.match(value)]:
        raise ValueError(f"{name}: expected {what}, got {bad[0]!r}")
