"""The resolved config: what applies to a call to a given number, answered by one dict lookup.

Built once per load and never changed; a reload builds a new one and swaps it whole, so a
call in progress keeps the object it started with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from callserver.config.errors import ConfigIssue
from callserver.config.phone import facts, to_e164
from callserver.config.prompts import PromptLibrary
from callserver.config.schedules import build_schedule
from callserver.config.schema import (
    Campaign,
    Caps,
    Config,
    Pool,
    Prompts,
    Routing,
    Source,
    TrackingNumber,
    Webhook,
)
from callserver.config.schema.number_settings import NumberSettings
from callserver.config.schema.routing import Conversion
from callserver.hours.schedule import Schedule

INHERITABLE = ("routing", "prompts", "conversion", "webhooks")


@dataclass(frozen=True)
class NumberView:
    """Everything that applies to calls to one tracking number."""

    number: str
    kind: str
    country: str
    region: str
    role: str  # static | pool | fallback
    campaign: str
    pool: str | None
    source: str | None
    publisher: str | None
    tags: Mapping[str, str]
    sub_id: str | None
    schedule: str | None
    caps: Caps
    record: bool
    routing: Routing
    prompts: Prompts
    conversion: Conversion
    webhooks: tuple[Webhook, ...]
    unlocked: frozenset[str]


@dataclass(frozen=True)
class ResolvedConfig:
    """One validated config file, ready for calls and swaps."""

    path: str
    digest: str
    model: Config
    numbers: Mapping[str, NumberView]
    schedules: Mapping[str, Schedule]
    onsite_sources: tuple[tuple[str, Source], ...]
    prompts: PromptLibrary
    warnings: tuple[ConfigIssue, ...] = ()  # what `config.lint` found; the file loads anyway

    def lookup(self, dialled: str) -> NumberView | None:
        """The number's settings, from any spelling of it; None when it is not tracked."""
        view = self.numbers.get(dialled)
        if view is not None:
            return view
        try:
            return self.numbers.get(to_e164(dialled))
        except ValueError:
            return None

    def campaign(self, name: str) -> Campaign:
        return self.model.campaigns[name]


def resolve(model: Config, path: str, digest: str, prompts: PromptLibrary,
            warnings: tuple[ConfigIssue, ...] = ()) -> ResolvedConfig:
    numbers: dict[str, NumberView] = {}
    for name, campaign in model.campaigns.items():
        for raw, number in campaign.numbers.items():
            view = _static(model, name, campaign, to_e164(raw), number)
            numbers[view.number] = view
        for pool_name, pool in campaign.pools.items():
            for e164 in pool.numbers:
                numbers[e164] = _pooled(model, name, campaign, pool_name, pool, e164, "pool")
            if pool.fallback:
                numbers[pool.fallback] = _pooled(model, name, campaign, pool_name, pool,
                                                 pool.fallback, "fallback")
    schedules = {name: build_schedule(s, model.timezone) for name, s in model.schedules.items()}
    return ResolvedConfig(path=path, digest=digest, model=model,
                          numbers=MappingProxyType(numbers),
                          schedules=MappingProxyType(schedules),
                          onsite_sources=evaluation_order(model.sources), prompts=prompts,
                          warnings=warnings)


def evaluation_order(sources: Mapping[str, Source]) -> tuple[tuple[str, Source], ...]:
    """The onsite sources in the order a visit tries them: by position, those without one
    last, ties by name."""
    onsite = ((name, s) for name, s in sources.items() if s.type == "onsite")
    return tuple(sorted(onsite, key=lambda item: (
        item[1].position if item[1].position is not None else 1_000_000, item[0])))


def _static(model: Config, name: str, campaign: Campaign, e164: str,
            number: TrackingNumber) -> NumberView:
    source = model.sources.get(number.source) if number.source else None
    tags = {**model.tags, **(source.tags if source else {}), **number.tags}
    return _view(e164, "static", name, None, number.source, tags, campaign, number)


def _pooled(model: Config, name: str, campaign: Campaign, pool_name: str, pool: Pool,
            e164: str, role: str) -> NumberView:
    """A pool number, or its fallback: the pool's settings, as a static number's own."""
    return _view(e164, role, name, pool_name, None, {**model.tags, **pool.tags}, campaign, pool)


def _view(e164: str, role: str, name: str, pool: str | None, source: str | None,
          tags: dict[str, str], campaign: Campaign, own: NumberSettings) -> NumberView:
    """`own`'s settings where it gives them, else the campaign's."""
    info = facts(e164)
    unlock = own.unlock
    sub_id = own.given_sub_id
    if sub_id is not None:
        tags = {**tags, "sub_id": sub_id}
    return NumberView(
        number=e164, kind=info.kind, country=info.country, region=info.region, role=role,
        campaign=name, pool=pool, source=source, publisher=own.publisher,
        tags=MappingProxyType(tags), sub_id=sub_id,
        schedule=own.schedule or campaign.schedule, caps=own.caps,
        record=campaign.record if own.record is None else own.record,
        routing=unlock.routing or campaign.routing, prompts=unlock.prompts or campaign.prompts,
        conversion=unlock.conversion or campaign.conversion,
        webhooks=tuple(unlock.webhooks if unlock.webhooks is not None else campaign.webhooks),
        unlocked=frozenset(k for k in INHERITABLE if getattr(unlock, k) is not None))
