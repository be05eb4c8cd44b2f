"""The top of a config file: defaults, schedules, targets, publishers, sources, campaigns."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from callserver.config.schema.base import (
    ONE_OR_LIST,
    TRUNK_PATTERN,
    Caps,
    Name,
    Phone,
    Regex,
    Strict,
    Tags,
    TimeZone,
    as_list,
)
from callserver.config.schema.campaign import Campaign, EnvName
from callserver.config.schema.monitor import Monitor
from callserver.config.schema.sip import SIP_PATTERN, sip_uri
from callserver.config.source_presets import PresetName, with_preset

Hours = Annotated[list[str], BeforeValidator(as_list), ONE_OR_LIST,
                  Field(description='"09:00-17:00", "09:00-12:00, 13:00-17:00", "22:00-06:00", '
                                    '"24h" or "closed".')]


class Schedule(Strict):
    """Business hours in a time zone, with holidays and special days."""

    timezone: TimeZone | None = Field(None, description="Defaults to the file's `timezone`.")
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


class SourceMatch(Strict):
    """How an onsite source recognises a visit; every condition given must hold."""

    search: bool | None = Field(None, description="Referrer is a known search engine.")
    referrer: Regex | None = Field(None, description="Regex on the referrer URL.")
    landing: Regex | None = Field(None, description="Regex on the landing page URL.")
    param: dict[str, Regex] | None = Field(None, description="URL parameter -> regex.")
    direct: bool | None = Field(None, description="No referrer (typed or bookmarked).")
    always: bool | None = Field(None, description="Every visit.")

    @model_validator(mode="after")
    def _some_condition(self) -> Self:
        if not any(v for v in self.model_dump().values()):
            raise ValueError(
                "give at least one of search, referrer, landing, param, direct, always")
        return self


class Cost(Strict):
    per_call: float | None = Field(None, ge=0, description="Spend per call.")
    monthly_budget: float | None = Field(None, ge=0, description="Spend per calendar month.")


class AnalyticsFallback(Strict):
    """GA values sent for a call with no visitor session."""

    source: str | None = None
    medium: str | None = None
    campaign: str | None = None


class Source(Strict):
    """A tracking source: an advertising channel."""

    preset: PresetName | None = Field(
        None, description="A ready-made source whose type, match, position and tags this one "
                          "starts from; its own fields replace the preset's, each whole. "
                          "google_ads, microsoft_ads and facebook_ads match their click ids; "
                          "google_organic, bing_organic, organic_search, social, referral "
                          "and direct match the referrer; tv, radio, print, billboard, "
                          "direct_mail and google_business_profile are offsite.")
    name: str | None = Field(None, description="Display name; defaults to the key.")
    description: str | None = Field(None, description="Free text for the people who edit it.")
    type: Literal["onsite", "offsite"] = Field(
        "offsite", description="onsite: swapped on the website; offsite: print, radio, TV.")
    position: int | None = Field(None, ge=0, description="Onsite evaluation order, low first.")
    match: SourceMatch | None = None
    touch: Literal["first", "last"] = Field("first", description="Which visit keeps credit.")
    tags: Tags = Field(default_factory=dict, description="Tags added to its calls.")
    cost: Cost | None = None
    analytics: AnalyticsFallback | None = None
    geo: Literal["nearest"] | None = Field(
        None, description="nearest: of the source's static numbers, show the one in the "
                          "visitor's state or province, else in the country, else its first; "
                          "a pool serving it ranks its numbers the same way (see the pool's "
                          "`geo`). Needs `geoip_db`.")

    @model_validator(mode="before")
    @classmethod
    def _from_preset(cls, data: object) -> object:
        return with_preset(data)

    @model_validator(mode="after")
    def _onsite_needs_match(self) -> Self:
        if self.type == "onsite" and self.match is None:
            raise ValueError("an onsite source needs `match`")
        if self.type == "offsite" and self.match is not None:
            raise ValueError("an offsite source never swaps; remove `match` or set type: onsite")
        return self


class Privacy(Strict):
    """What of a visitor's IP address is kept with the session, and for how long."""

    ip: Literal["full", "truncate", "hash"] = Field(
        "full", description="full; truncate: only the /24 (IPv4) or /48 (IPv6) network; hash: "
                            "a keyed SHA-256, comparable but not readable.")
    ip_hash_key_env: EnvName | None = Field(
        None, description="Variable holding the key for `ip: hash`; without it, a random key "
                          "per run (hashes then differ across restarts).")
    erase_after_days: int | None = Field(
        None, ge=1, le=3650,
        description="Days after a session's last page view when its IP address and user agent "
                    "are erased (hourly); its attribution (source, landing page, UTM tags, "
                    "click ids, captured cookies) stays. Absent: kept.")


class Attribution(Strict):
    """How a call finds the web session behind it, and how far one client may lease numbers."""

    grace_s: int = Field(
        300, ge=0, le=86_400,
        description="A call to a pool number this long after its lease ended still goes to "
                    "the session that held it.")
    merge_window_s: int = Field(
        1800, ge=0, le=86_400,
        description="A session that began longer than this before the call is a separate, "
                    "unmerged touch.")
    leases_per_ip: int = Field(
        20, ge=1, description="Live pool leases one IP address may hold; beyond, the fallback.")
    leases_per_visitor: int = Field(
        2, ge=1, description="Live pool leases one visitor may hold in a campaign.")


class Config(Strict):
    """A callserver configuration file."""

    timezone: TimeZone = Field("UTC", description="Default time zone for schedules.")
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
