"""Tracking sources: the advertising channels calls and visits are credited to, how an onsite
source recognises a visit, what it costs, and the presets that spell the common ones."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from callserver.config.schema.base import Regex, Strict, Tags
from callserver.config.source_presets import PresetName, with_preset


class SourceMatch(Strict):
    """How an onsite source recognises a visit; every condition given must hold."""

    search: bool | None = Field(None, description="Referrer is a known search engine.")
    referrer: Regex | None = Field(None, description="Regex on the referrer URL, ignoring case "
                                                     "(`(?-i:...)` to tell case apart).")
    landing: Regex | None = Field(None, description="Regex on the landing page URL, ignoring "
                                                    "case.")
    param: dict[str, Regex] | None = Field(None, description="URL parameter -> regex on its "
                                                             "value, ignoring case.")
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
                          "visitor's state or province, else the one in the nearest state or "
                          "province of the country, else its first; "
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
