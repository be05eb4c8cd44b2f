"""Which offers `geo: nearest` applies to in each campaign, with their candidates indexed.

Built once per loaded config, like the swap offers, so that a page view only looks up. A pool
is ranked when it sets `geo: nearest` or serves a source that does; a source that does and has
static numbers shows the nearest of them, its first number when none is in the country.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from callserver.attribution.offers import Offer, PoolOffer, StaticOffer, pool_key
from callserver.config.phone import to_e164
from callserver.config.resolve import ResolvedConfig
from callserver.config.schema import Campaign
from callserver.numbers.geo.nearest import Candidate, Location, Nearest, NearestIndex
from callserver.numbers.geo.places import place_of


@dataclass(frozen=True)
class CampaignGeo:
    """`static`: geo source -> its static numbers; `pools`: pool key -> its numbers."""

    static: Mapping[str, NearestIndex]
    pools: Mapping[str, NearestIndex]
    geo_pools: frozenset[str]
    geo_sources: frozenset[str]

    def choose(self, offer: Offer | None, source: str | None,
               visitor: Location) -> Nearest | None:
        """The numbers to offer, nearest first; None when geo does not apply to the offer."""
        if isinstance(offer, StaticOffer) and source is not None and source in self.static:
            return self.static[source].choose(visitor)
        if isinstance(offer, PoolOffer) and (offer.key in self.geo_pools
                                             or source in self.geo_sources):
            return self.pools[offer.key].choose(visitor)
        return None


@dataclass(frozen=True)
class Near:
    """A visitor's location with the campaign's geo offers: what a swap's write needs."""

    geo: CampaignGeo
    visitor: Location

    def numbers(self, offer: Offer | None, source: str | None) -> Nearest | None:
        return self.geo.choose(offer, source, self.visitor)


def geo_plan(config: ResolvedConfig) -> Mapping[str, CampaignGeo]:
    """Only the campaigns where some source or pool sets `geo: nearest`."""
    sources = frozenset(name for name, s in config.model.sources.items() if s.geo == "nearest")
    plans = {name: _campaign_geo(name, campaign, sources)
             for name, campaign in config.model.campaigns.items()}
    return MappingProxyType({name: plan for name, plan in plans.items()
                             if plan.static or plan.geo_pools or plan.geo_sources})


def _campaign_geo(name: str, campaign: Campaign, sources: frozenset[str]) -> CampaignGeo:
    static: dict[str, list[str]] = {}
    for raw, number in campaign.numbers.items():
        if number.source in sources:
            static.setdefault(number.source, []).append(to_e164(raw))
    pools = {pool_key(name, pool_name): pool for pool_name, pool in campaign.pools.items()}
    return CampaignGeo(
        static=MappingProxyType({s: _index(numbers) for s, numbers in static.items()}),
        pools=MappingProxyType({key: _index(pool.numbers) for key, pool in pools.items()}),
        geo_pools=frozenset(key for key, pool in pools.items() if pool.geo == "nearest"),
        geo_sources=sources if pools else frozenset())


def _index(numbers: Iterable[str]) -> NearestIndex:
    return NearestIndex.of([Candidate(n, place_of(n)) for n in numbers])
