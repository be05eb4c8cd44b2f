"""What number a source is shown as in a campaign: its static number, or a lease from the pool
that serves it (which claims which: `config.source_claims`). Built once per loaded config, so
a request only looks things up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType

from callserver.attribution.visit import origin
from callserver.config.phone import to_e164
from callserver.config.resolve import ResolvedConfig
from callserver.config.schema import Campaign
from callserver.config.source_claims import source_claims

# How long a session lasts between page views when no pool sets it (the web's usual 30 min).
DEFAULT_SESSION = timedelta(minutes=30)


@dataclass(frozen=True)
class StaticOffer:
    number: str


@dataclass(frozen=True)
class PoolOffer:
    """`key` names the pool in the store: `campaign/pool`, as pool names repeat across campaigns."""

    key: str
    ttl: timedelta
    fallback: str | None


Offer = StaticOffer | PoolOffer


@dataclass(frozen=True)
class CampaignSwap:
    """One campaign's swap settings, ready for requests."""

    name: str
    swap_target: str | None
    origins: frozenset[str]
    capture_cookies: tuple[str, ...]
    capture_params: tuple[tuple[str, str], ...]  # (URL parameter, destination)
    cookie_domain: str | None
    touch: Mapping[str, str]
    by_source: Mapping[str, Offer]
    catch_all: PoolOffer | None
    timeouts: Mapping[str, timedelta]

    def offer(self, source: str | None) -> Offer | None:
        """None: nothing to show but the page's own number."""
        found = self.by_source.get(source) if source is not None else None
        return found or self.catch_all

    def shown_without_lease(self, offer: Offer | None) -> str | None:
        """What a visitor who may not lease (a crawler, a client over its limit) is shown."""
        if isinstance(offer, StaticOffer):
            return offer.number
        return (offer.fallback if offer else None) or self.swap_target

    def session_timeout(self, pool_key: str | None) -> timedelta:
        return self.timeouts.get(pool_key or "", DEFAULT_SESSION)


def pool_key(campaign: str, pool: str) -> str:
    return f"{campaign}/{pool}"


def campaign_swaps(config: ResolvedConfig) -> Mapping[str, CampaignSwap]:
    touch = MappingProxyType({name: s.touch for name, s in config.model.sources.items()})
    return MappingProxyType({name: _campaign_swap(name, campaign, touch)
                             for name, campaign in config.model.campaigns.items()})


def pool_numbers(config: ResolvedConfig) -> dict[str, tuple[str, ...]]:
    """Every pool's numbers by store key: what the store's pool table must hold."""
    return {pool_key(name, pool_name): tuple(pool.numbers)
            for name, campaign in config.model.campaigns.items()
            for pool_name, pool in campaign.pools.items()}


def _campaign_swap(name: str, campaign: Campaign, touch: Mapping[str, str]) -> CampaignSwap:
    offers: dict[str, PoolOffer] = {
        pool_name: PoolOffer(pool_key(name, pool_name),
                             timedelta(seconds=pool.session_timeout), pool.fallback)
        for pool_name, pool in campaign.pools.items()}
    claims = source_claims(campaign)
    by_source: dict[str, Offer] = {
        source: StaticOffer(to_e164(claimant.name)) if claimant.kind == "number"
        else offers[claimant.name] for source, claimant in claims.by_source.items()}
    catch_all = None if claims.catch_all is None else offers[claims.catch_all]
    pools = [o for o in (*by_source.values(), catch_all) if isinstance(o, PoolOffer)]
    return CampaignSwap(
        name=name, swap_target=campaign.swap_target,
        origins=frozenset(filter(None, (origin(str(site)) for site in campaign.sites))),
        capture_cookies=tuple(campaign.capture_cookies),
        capture_params=tuple(campaign.capture_params.items()),
        cookie_domain=campaign.cookie_domain, touch=touch,
        by_source=MappingProxyType(by_source), catch_all=catch_all,
        timeouts=MappingProxyType({o.key: o.ttl for o in pools}))
