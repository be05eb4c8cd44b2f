"""Which of a campaign's numbers a web visit from each onsite source is shown: one rule, read
by the swap endpoint (`attribution.offers`) and by `check` (`pool_checks`), which names the
pools the rule leaves with nothing to do (numbers paid for and never shown).

A static number claims its source first; then a pool that lists the source; then the first
pool that lists no sources at all, which serves every other visit, matched or not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

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

    def taken_from(self, pool: str, listed: Sequence[str]) -> dict[str, Claimant]:
        """Of the sources `pool` lists, those another claimant is shown for first."""
        return {source: self.by_source[source] for source in listed
                if self.by_source[source] != Claimant("pool", pool)}


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
