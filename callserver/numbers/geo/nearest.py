"""Which numbers a visitor should see first, by where they are (seed 001's GeoContact).

Pure: the candidates' places and the visitor's location in, a ranked choice out. Numbers in
the visitor's state or province come first, then the rest of those in the visitor's country;
numbers abroad are never offered (the caller shows its fallback when nothing is left).
`NearestIndex` answers the same question for a fixed set of candidates with one dict lookup,
so a page view pays nothing per candidate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from callserver.numbers.geo.places import Place


@dataclass(frozen=True)
class Location:
    """Where a visitor is: ISO 3166-1 country, and ISO 3166-2 subdivision (no prefix)."""

    country: str
    region: str | None


@dataclass(frozen=True)
class Candidate:
    number: str
    place: Place | None


@dataclass(frozen=True)
class Nearest:
    """What to offer, in two tiers, each in the candidates' order; both empty: the fallback."""

    same_region: tuple[str, ...]
    rest_of_country: tuple[str, ...]

    @property
    def first(self) -> str | None:
        return next(iter((*self.same_region, *self.rest_of_country)), None)

    def tiers(self) -> dict[str, int]:
        """Number -> tier (0 nearest), for a store query that ranks free numbers."""
        return {**{n: 1 for n in self.rest_of_country}, **{n: 0 for n in self.same_region}}


NOWHERE = Nearest((), ())


def nearest(candidates: Sequence[Candidate], visitor: Location) -> Nearest:
    """The candidates in the visitor's country, those in the visitor's region first; numbers
    abroad are never offered."""
    local = [(c.number, c.place.regions) for c in candidates
             if c.place is not None and c.place.country == visitor.country]
    return Nearest(tuple(n for n, regions in local if visitor.region in regions),
                   tuple(n for n, regions in local if visitor.region not in regions))


@dataclass(frozen=True)
class NearestIndex:
    """`nearest` precomputed for every location that can change its answer."""

    by_location: Mapping[tuple[str, str | None], Nearest]

    @classmethod
    def of(cls, candidates: Sequence[Candidate]) -> NearestIndex:
        places = [c.place for c in candidates if c.place is not None]
        keys: set[tuple[str, str | None]] = {(p.country, None) for p in places}
        keys |= {(p.country, region) for p in places for region in p.regions}
        return cls(MappingProxyType({key: nearest(candidates, Location(*key)) for key in keys}))

    def choose(self, visitor: Location) -> Nearest:
        """A region no candidate serves ranks like no region at all."""
        found = self.by_location.get((visitor.country, visitor.region))
        if found is None:
            found = self.by_location.get((visitor.country, None), NOWHERE)
        return found
