"""Which of a campaign's numbers a web visit from each onsite source is shown: one rule, read
by the swap endpoint (`attribution.offers`) and by `check`, which names the pools the rule
leaves with nothing to do (numbers paid for and never shown).

A static number claims its source first; then a pool that lists the source; then the first
pool that lists no sources at all, which serves every other visit, matched or not.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from callserver.config.errors import Path
from callserver.config.schema import Campaign

Kind = Literal["number", "pool"]


@dataclass(frozen=True)
class Claimant:
    """A static number (its key as the file writes it) or a pool (its name)."""

    kind: Kind
    name: str

    def __str__(self) -> str:
        return f"static number {self.name}" if self.kind == "number" else f"pool '{self.name}'"


@dataclass(frozen=True)
class Claims:
    by_source: Mapping[str, Claimant]
    catch_all: str | None  # the pool serving every visit no source claims


def source_claims(campaign: Campaign) -> Claims:
    by_source: dict[str, Claimant] = {}
    catch_all: str | None = None
    for raw, number in campaign.numbers.items():
        if number.source is not None:
            by_source.setdefault(number.source, Claimant("number", raw))
    for name, pool in campaign.pools.items():
        for source in pool.sources:
            by_source.setdefault(source, Claimant("pool", name))
        if not pool.sources and catch_all is None:
            catch_all = name
    return Claims(by_source, catch_all)


def idle_pools(campaign: Campaign) -> Iterator[tuple[Path, str]]:
    """Each pool (its place under the campaign) whose numbers would never be shown, and why:
    every source it lists is shown another number first, or it is a second pool listing no
    sources. A pool that loses only some of its sources still serves the rest."""
    claims = source_claims(campaign)
    for name, pool in campaign.pools.items():
        others = {source: claims.by_source[source] for source in pool.sources
                  if claims.by_source[source] != Claimant("pool", name)}
        if pool.sources and len(others) == len(set(pool.sources)):
            taken = "; ".join(f"'{source}' by {first}" for source, first in others.items())
            yield (("pools", name, "sources"),
                   f"every source this pool lists is shown another number first ({taken}): "
                   "its numbers would never be shown")
        if not pool.sources and claims.catch_all != name:
            yield (("pools", name), f"pool '{claims.catch_all}' already serves every visit no "
                                    "source claims: this pool, which lists no sources, would "
                                    "never be shown")
