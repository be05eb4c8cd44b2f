"""Which numbers a visitor should see first, by where they are (seed 001's GeoContact).

Pure: the candidates' places and the visitor's location in, a ranked choice out. Numbers in
the visitor's state or province come first, then the rest of those in the visitor's country,
the nearest states first (`centres`: "in the U.S. and Canada we'll show a tracking number that
is closest to the visitor's location"); numbers abroad are never offered (the caller shows its
fallback when nothing is left).
`NearestIndex` answers the same question for a fixed set of candidates with one dict lookup
(every state and province is computed ahead, once per config), so a page view pays nothing
per candidate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import inf
from types import MappingProxyType

from callserver.numbers.geo.centres import CENTRES, distance_km
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
    """What to offer, nearest first; both empty: the fallback. `same_region` is in the
    candidates' order; `rest_of_country` by distance, `bands` giving each of those the rank of
    its distance (0 nearest), so the numbers of one state share a band and keep the
    candidates' order in it, as do numbers of no known place, last."""

    same_region: tuple[str, ...]
    rest_of_country: tuple[str, ...]
    bands: tuple[int, ...]

    @property
    def first(self) -> str | None:
        return next(iter((*self.same_region, *self.rest_of_country)), None)

    def tiers(self) -> dict[str, int]:
        """Number -> tier (0 nearest), for a store query that ranks free numbers."""
        rest = {n: 1 + band for n, band in zip(self.rest_of_country, self.bands, strict=True)}
        return {**rest, **{n: 0 for n in self.same_region}}


NOWHERE = Nearest((), (), ())


def nearest(candidates: Sequence[Candidate], visitor: Location) -> Nearest:
    """The candidates in the visitor's country, those in the visitor's region first, then the
    others by the distance from the visitor's region to theirs; numbers abroad are never
    offered."""
    local = [(c.number, c.place.regions) for c in candidates
             if c.place is not None and c.place.country == visitor.country]
    rest = sorted(((n, _far(distance_km(visitor.country, visitor.region, regions)))
                   for n, regions in local if visitor.region not in regions),
                  key=lambda item: item[1])
    ranks = {d: rank for rank, d in enumerate(sorted({d for _, d in rest}))}
    return Nearest(tuple(n for n, regions in local if visitor.region in regions),
                   tuple(n for n, _ in rest), tuple(ranks[d] for _, d in rest))


def _far(distance: float | None) -> float:
    """An unknown distance ranks after every known one."""
    return inf if distance is None else distance


@dataclass(frozen=True)
class NearestIndex:
    """`nearest` precomputed for every location that can change its answer."""

    by_location: Mapping[tuple[str, str | None], Nearest]

    @classmethod
    def of(cls, candidates: Sequence[Candidate]) -> NearestIndex:
        places = [c.place for c in candidates if c.place is not None]
        keys: set[tuple[str, str | None]] = {(p.country, None) for p in places}
        keys |= {(p.country, region) for p in places for region in p.regions}
        keys |= {(country, region) for country, _ in set(keys)
                 for region in CENTRES.get(country, {})}
        return cls(MappingProxyType({key: nearest(candidates, Location(*key)) for key in keys}))

    def choose(self, visitor: Location) -> Nearest:
        """A region no candidate serves and of no known centre ranks like no region at all."""
        found = self.by_location.get((visitor.country, visitor.region))
        if found is None:
            found = self.by_location.get((visitor.country, None), NOWHERE)
        return found
