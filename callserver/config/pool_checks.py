"""A campaign's pools checked for what would load but never work: a pool no page could show
(no `swap_target` to replace, no `sites` allowed to ask), one with no numbers, one serving a
source it cannot serve, and one whose numbers the claiming rule (`source_claims`) never
reaches."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set

from callserver.config.errors import Found, unknown_name
from callserver.config.schema import Campaign
from callserver.config.schema.sources import Source
from callserver.config.source_claims import source_claims

_NEEDS = (("swap_target", "the number printed on the site, which swap.js replaces"),
          ("sites", "the origins whose pages may ask for a number"))


def pool_issues(campaign: Campaign, sources: Mapping[str, Source],
                defined_sources: Set[str]) -> Iterator[Found]:
    if campaign.pools:
        for field, what in _NEEDS:
            if not getattr(campaign, field):
                yield (field,), f"a campaign with pools needs `{field}`: {what}", True
    for name, pool in campaign.pools.items():
        if not pool.numbers:
            yield ("pools", name, "numbers"), "a pool needs at least one number", False
        for i, listed in enumerate(pool.sources):
            source = sources.get(listed)
            if source is None and listed not in defined_sources:
                yield ("pools", name, "sources", i), unknown_name("source", listed, sources), False
            elif source is not None and source.type != "onsite":
                yield (("pools", name, "sources", i),
                       f"source '{listed}' is offsite; a pool serves only onsite sources", False)
    yield from _idle_pools(campaign)


def _idle_pools(campaign: Campaign) -> Iterator[Found]:
    """Each pool (its place under the campaign) whose numbers would never be shown, and why:
    every source it lists is shown another number first, or it is a second pool listing no
    sources. A pool that loses only some of its sources still serves the rest."""
    claims = source_claims(campaign)
    for name, pool in campaign.pools.items():
        others = claims.taken_from(name, pool.sources)
        if pool.sources and len(others) == len(set(pool.sources)):
            taken = "; ".join(f"'{source}' by {first}" for source, first in others.items())
            yield (("pools", name, "sources"),
                   f"every source this pool lists is shown another number first ({taken}): "
                   "its numbers would never be shown", False)
        if not pool.sources and claims.catch_all != name:
            yield (("pools", name), f"pool '{claims.catch_all}' already serves every visit no "
                                    "source claims: this pool, which lists no sources, would "
                                    "never be shown", False)
