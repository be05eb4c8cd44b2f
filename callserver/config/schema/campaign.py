"""Campaigns and what they own: numbers, pools, webhooks, analytics."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, HttpUrl

from callserver.config.schema.base import EnvName, Name, Phone, Strict
from callserver.config.schema.caps import Caps
from callserver.config.schema.number_settings import NumberSettings
from callserver.config.schema.patterns import (
    CAPTURE_PATTERN,
    DOMAIN_PATTERN,
    GA4_PATTERN,
    PARAM_PATTERN,
)
from callserver.config.schema.pool import Pool
from callserver.config.schema.routing import Conversion, IvrMenu, Prompts, Routing
from callserver.config.schema.webhook import Webhook


class Ga4(Strict):
    measurement_id: str = Field(pattern=GA4_PATTERN)
    api_secret_env: EnvName
    converted_event: str | None = Field(
        None, description="Also send a converted call as this event (on call.converted), so "
                          "GA4 can mark it a key event, e.g. qualified_call.")


class Analytics(Strict):
    ga4: Ga4 | None = None
    crm_id_cookie: str = Field(
        "_biz_uid", description="Captured cookie holding the visitor's marketing id for the "
                                "CRM hand-off (`crm`): Bizible's _biz_uid, HubSpot's "
                                "hubspotutk...; it must be in `capture_cookies`.")


class TrackingNumber(NumberSettings):
    """A static tracking number owned by the campaign."""

    source: Name | None = Field(None, description="Tracking source it stands for.")


class Campaign(Strict):
    """Defaults for every number in it, and the site it swaps numbers on."""

    name: str | None = Field(None, description="Display name.")
    swap_target: Phone | None = Field(None, description="The number printed on the site.")
    sites: list[HttpUrl] = Field(default_factory=list, description="Origins allowed to swap.")
    capture_cookies: list[str] = Field(default_factory=list,
                                       description="Marketing cookies kept with the session.")
    cookie_domain: str | None = Field(
        None, pattern=DOMAIN_PATTERN,
        description="The domain every one of `sites` is under (example.com for "
                    "www.example.com and shop.example.com): swap.js keeps the visitor id in "
                    "a first-party cookie there too, so a visitor moving between those sites "
                    "stays one visitor with one session and number. Absent: each site keeps "
                    "its own.")
    capture_params: dict[Annotated[str, Field(pattern=PARAM_PATTERN)],
                         Annotated[str, Field(pattern=CAPTURE_PATTERN)]] = Field(
        default_factory=dict,
        description="Landing-page URL parameters kept with the visit and given to the pool "
                    "calls it leads to, each to `sub_id`, `publisher` (only one this file "
                    "defines, and only for a pool that has none) or `tags.NAME`: "
                    "`{affid: publisher, sid: sub_id, kw: tags.keyword}`. They belong to the "
                    "touch that holds the credit, as UTM tags do.")
    routing: Routing = Field(default_factory=Routing)
    prompts: Prompts = Field(default_factory=Prompts)
    ivr: IvrMenu | None = None
    conversion: Conversion = Field(default_factory=Conversion)
    record: bool = Field(False, description="Record calls from answer to hang-up.")
    analytics: Analytics = Field(default_factory=Analytics)
    webhooks: list[Webhook] = Field(default_factory=list)
    schedule: Name | None = Field(None, description="Business hours for the campaign.")
    caps: Caps = Field(default_factory=Caps)
    numbers: dict[str, TrackingNumber] = Field(default_factory=dict)
    pools: dict[Name, Pool] = Field(default_factory=dict)
