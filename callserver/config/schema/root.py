"""The top of a config file: defaults, schedules, targets, publishers and campaigns (sources
and privacy have modules of their own)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict

from callserver.config.schema.base import EnvName, Name, Phone, Strict, Tags, TimeZone, as_list
from callserver.config.schema.campaign import Campaign
from callserver.config.schema.caps import Caps
from callserver.config.schema.input_schema import ONE_OR_LIST
from callserver.config.schema.money import Payout, Revenue
from callserver.config.schema.monitor import Monitor
from callserver.config.schema.patterns import TRUNK_PATTERN
from callserver.config.schema.privacy import Attribution, Privacy
from callserver.config.schema.sip import SIP_PATTERN, sip_uri
from callserver.config.schema.sources import Source

Hours = Annotated[list[str], BeforeValidator(as_list), ONE_OR_LIST,
                  Field(description='"09:00-17:00", "09:00-12:00, 13:00-17:00", "22:00-06:00", '
                                    '"24h" or "closed".')]


class Schedule(Strict):
    """Business hours in a time zone, with holidays and special days."""

    timezone: TimeZone | None = Field(
        None, description="The zone its hours are read in; defaults to the file's `timezone`. "
                          "Required when the file gives none.")
    open: dict[str, Hours] = Field(
        min_length=1, description="Day (mon..sun, mon-fri, sat,sun, daily) -> open hours.")
    holidays: list[dt.date] = Field(default_factory=list, description="Closed all day.")
    special: dict[dt.date, Hours] = Field(default_factory=dict,
                                         description="Hours replacing the weekday's on a date.")
    starts: dt.date | None = Field(
        None, description="First date the schedule opens (a promotion's start); closed before.")
    ends: dt.date | None = Field(
        None, description="Last date the schedule opens (a promotion's end, inclusive); closed "
                          "from the next day on, so routing stops by itself.")

    @field_validator("ends")
    @classmethod
    def _ends_after_start(cls, ends: dt.date | None, info: ValidationInfo) -> dt.date | None:
        starts = info.data.get("starts")
        if ends is not None and starts is not None and ends < starts:
            raise ValueError(f"{ends} is before starts {starts}")
        return ends


class Target(Strict):
    """Somewhere a call can ring: exactly one of `dial`, `number` or `sip`."""

    dial: str | None = Field(None, description="An Asterisk dial string, e.g. PJSIP/sales@pbx.")
    number: Phone | None = Field(None, description="A phone number dialled through `trunk`.")
    sip: Annotated[str, Field(pattern=SIP_PATTERN), AfterValidator(sip_uri)] | None = Field(
        None,
        description="A SIP URI on a buyer's PBX, e.g. sip:buyer@pbx.example.com[:port]"
                    "[;transport=tcp]; sips: for TLS. `callserver asterisk-conf` renders its "
                    "PJSIP endpoint, AOR and auth; calls dial PJSIP/cs-NAME/URI.")
    auth_env: EnvName | None = Field(
        None, description="Variable holding `user:password` for a `sip` target whose PBX "
                          "asks for credentials (rendered as its PJSIP outbound auth).")
    concurrency: int | None = Field(None, ge=1, description="Calls it takes at once.")
    caps: Caps = Field(default_factory=Caps)
    schedule: Name | None = Field(None, description="Hours when it takes calls.")
    revenue: Revenue | None = Field(
        None, description="What this buyer pays per converted call it answers (pay per call).")

    @model_validator(mode="after")
    def _one_destination(self) -> Self:
        given = [k for k in ("dial", "number", "sip") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of dial, number or sip"
                             + (f" (got {', '.join(given)})" if given else ""))
        if self.auth_env and not self.sip:
            raise ValueError("auth_env only applies to a sip target")
        return self


class Publisher(Strict):
    """A traffic partner; its API token comes from CALLSERVER_PUBLISHER_TOKENS."""

    name: str | None = None
    payout: Payout | None = Field(
        None, description="What the network pays this publisher per converted call.")


# For editors: with no top-level zone, each schedule names its own (`config.zones` also
# requires one for cap blocks and day or month caps on a scope without a schedule, which a
# JSON Schema cannot follow across the file's references).
_ZONE_CHOSEN: JsonDict = {"if": {"not": {"required": ["timezone"]}},
                "then": {"properties": {"schedules": {"additionalProperties": {
                    "required": ["timezone"]}}}}}


class Config(Strict):
    """A callserver configuration file."""

    model_config = ConfigDict(json_schema_extra=_ZONE_CHOSEN)

    timezone: TimeZone = Field(
        "UTC", description="Time zone of reports, caps and dashboards, and of every schedule "
                           "without its own `timezone`. UTC when absent, but required where "
                           "hours of the day would otherwise be UTC's: a schedule without its "
                           "own zone, or cap blocks or caps per day or month on a scope "
                           "without a schedule.")
    trunk: str | None = Field(
        None, pattern=TRUNK_PATTERN,
        description='How `number:` targets are dialled: "PJSIP/{number}@carrier".')
    numbers_cooling_off_days: int = Field(
        90, ge=0, le=3650, description="Days a released number stays out of circulation.")
    geoip_db: str | None = Field(
        None, description="MaxMind-format database (GeoIP2 or GeoLite2 City .mmdb), relative to "
                          "this file, that places visitors for `geo: nearest`; opened again on "
                          "every reload. Absent or unreadable: geo is off, said once in the "
                          "log.")
    recordings_dir: str = Field(
        "/var/spool/asterisk/monitor/callserver",
        description="Where Asterisk writes call recordings and voicemails (on its host).")
    prompts_dir: str | None = Field(
        None, description="Extra prompts directory, relative to the config file.")
    schedules: dict[Name, Schedule] = Field(default_factory=dict,
                                            description="Business hours, by name.")
    targets: dict[Name, Target] = Field(default_factory=dict,
                                        description="Where calls can ring, by name.")
    publishers: dict[Name, Publisher] = Field(default_factory=dict,
                                              description="Traffic partners, by name.")
    sources: dict[Name, Source] = Field(default_factory=dict,
                                        description="Tracking sources (channels), by name.")
    campaigns: dict[Name, Campaign] = Field(min_length=1, description="Campaigns, by name.")
    tags: Tags = Field(default_factory=dict, description="Tags on every call.")
    privacy: Privacy = Field(default_factory=Privacy)
    attribution: Attribution = Field(default_factory=Attribution)
    monitor: Monitor | None = Field(None, description="Scheduled test calls.")


__all__ = ["Config", "Phone"]
