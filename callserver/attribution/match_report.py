"""Which onsite source a visit would be credited to, why each earlier source failed, and what
each campaign would show it (seed 001: try a source's regexes on real URLs before they go
live). Pure over the loaded config; what `callserver match` prints and the dashboard's Snippet
page shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from callserver.attribution.match_explain import Verdict, explain
from callserver.attribution.offers import CampaignSwap, PoolOffer, StaticOffer, campaign_swaps
from callserver.attribution.sources import source_rules
from callserver.attribution.visit import as_matched, visit_of
from callserver.config.resolve import ResolvedConfig


@dataclass(frozen=True)
class MatchReport:
    referrer: str
    verdicts: tuple[Verdict, ...]
    source: str | None  # the first source whose conditions all hold
    shown: dict[str, dict[str, Any]]  # campaign -> number, pool and text

    def json(self) -> dict[str, Any]:
        return {"source": self.source, "sources": [
            {"source": v.source, "matched": not v.failed, "failed": list(v.failed)}
            for v in self.verdicts], "shown": self.shown}


def match_visit(config: ResolvedConfig, url: str, referrer: str,
                campaign: str | None = None) -> MatchReport:
    """`campaign` judges the referrer as that campaign's site does (its own pages are no
    referral) and limits `shown` to it; it must be one of the config's campaigns."""
    swaps = campaign_swaps(config)
    visit = visit_of(url, referrer)
    if campaign is not None:
        visit = as_matched(visit, swaps[campaign].origins)
    verdicts = tuple(explain(source_rules(config.onsite_sources), visit))
    source = verdicts[-1].source if verdicts and not verdicts[-1].failed else None
    shown = {name: _shown(swap, source) for name, swap in swaps.items()
             if campaign is None or name == campaign}
    return MatchReport(visit.referrer or "", verdicts, source, shown)


def _shown(swap: CampaignSwap, source: str | None) -> dict[str, Any]:
    if swap.swap_target is None:
        return {"number": None, "pool": None, "text": "swaps nothing (no swap_target)"}
    offer = swap.offer(source)
    if isinstance(offer, StaticOffer):
        return {"number": offer.number, "pool": None,
                "text": f"shows static number {offer.number}"}
    if isinstance(offer, PoolOffer):
        fallback = f", else {offer.fallback}" if offer.fallback else ""
        return {"number": None, "pool": offer.key,
                "text": f"leases a number of pool {offer.key}{fallback}"}
    return {"number": None, "pool": None, "text": "keeps the page's own number"}
