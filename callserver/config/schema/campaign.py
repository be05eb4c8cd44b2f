"""Campaigns and what they own: numbers, pools, webhooks, analytics."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, HttpUrl

from callserver.config.schema.base import (
    ENV_PATTERN,
    GA4_PATTERN,
    ONE_OR_LIST,
    Caps,
    Name,
    Phone,
    Seconds,
    Strict,
    Tags,
    as_list,
)
from callserver.config.schema.number_routing import NumberRouting
from callserver.config.schema.routing import Conversion, IvrMenu, Prompts, Routing

Event = Literal["call.started", "call.answered", "call.completed", "call.converted"]
EnvName = Annotated[str, Field(pattern=ENV_PATTERN,
                               description="Name of an environment variable holding a secret.")]


class Webhook(Strict):
    """An HTTP request sent through the outbox when a call event happens."""

    on: Annotated[list[Event], BeforeValidator(as_list), ONE_OR_LIST] = Field(
        min_length=1, description="Events that fire it.")
    url: str = Field(description="Target URL; may use `{{ tokens }}`.")
    method: Literal["POST", "PUT", "GET"] = "POST"
    headers: dict[str, str] = Field(default_factory=dict)
    body: str | None = Field(None, description="Jinja2 template (sandboxed); JSON by default.")
    secret_env: EnvName | None = Field(None, description="HMAC-SHA256 signing secret's variable.")


class Ga4(Strict):
    measurement_id: str = Field(pattern=GA4_PATTERN)
    api_secret_env: EnvName


class Analytics(Strict):
    ga4: Ga4 | None = None


class Unlock(Strict):
    """Settings this number sets for itself instead of inheriting the campaign's."""

    routing: NumberRouting | None = Field(
        None, description="Its own route settings: targets, rules, after-hours handling "
                          "and IVR menu (`ivr`).")
    prompts: Prompts | None = None
    conversion: Conversion | None = None
    webhooks: list[Webhook] | None = None


class TrackingNumber(Strict):
    """A static tracking number owned by the campaign."""

    source: Name | None = Field(None, description="Tracking source it stands for.")
    publisher: Name | None = Field(None, description="Publisher (affiliate) it belongs to.")
    tags: Tags = Field(default_factory=dict)
    sub_id: str | None = Field(None, description="Sub-affiliate id within the publisher.")
    schedule: Name | None = Field(None, description="Its own business hours.")
    caps: Caps = Field(default_factory=Caps)
    record: bool | None = Field(None, description="Record its calls; the campaign's when absent.")
    unlock: Unlock = Field(default_factory=Unlock)


class Pool(Strict):
    """Numbers leased to visitors' sessions for dynamic number insertion."""

    sources: list[Name] = Field(
        default_factory=list,
        description="Onsite sources it serves; empty: every visit no static number or other "
                    "pool claims.")
    session_timeout: Seconds = Field(1800, description="Lease length after the last renewal.")
    geo: Literal["nearest"] | None = Field(
        None, description="nearest: lease a number in the visitor's US state or Canadian "
                          "province, else one elsewhere in the visitor's country, else show "
                          "`fallback`; never a number abroad. Needs `geoip_db`; a visitor it "
                          "cannot place gets any free number.")
    fallback: Phone | None = Field(None, description="Shown when every number is leased.")
    release_after_call: bool = Field(
        False, description="Return a number to the pool as soon as the call attributed to its "
                           "session ends, instead of when the session times out.")
    numbers: list[Phone] = Field(default_factory=list)
    publisher: Name | None = None
    tags: Tags = Field(default_factory=dict)


class Campaign(Strict):
    """Defaults for every number in it, and the site it swaps numbers on."""

    name: str | None = Field(None, description="Display name.")
    swap_target: Phone | None = Field(None, description="The number printed on the site.")
    sites: list[HttpUrl] = Field(default_factory=list, description="Origins allowed to swap.")
    capture_cookies: list[str] = Field(default_factory=list,
                                       description="Marketing cookies kept with the session.")
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
