"""Ready-made tracking sources (seed 001's "preset sources"): `preset: google_ads` fills in a
source's type, match, position and tags, so the common channels need one line each.

A source's own fields win over its preset's, each field whole (a `match` given replaces the
preset's match; it is not merged). Positions leave room between them: paid clicks first, then
the search engines by name, other search, social sites, any other referrer, and direct visits
last; custom sources can sit anywhere in between.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

PresetName = Literal[
    "google_ads", "microsoft_ads", "facebook_ads", "google_organic", "bing_organic",
    "organic_search", "social", "referral", "direct",
    "tv", "radio", "print", "billboard", "direct_mail", "google_business_profile"]

_SOCIAL_HOSTS = (r"^https?://([a-z0-9-]+\.)*(facebook|instagram|linkedin|pinterest|reddit"
                 r"|tiktok|youtube|x|twitter)\.com/|^https?://(t\.co|lnkd\.in)/")


def _onsite(position: int, channel: str, **match: Any) -> Mapping[str, Any]:
    return MappingProxyType({"type": "onsite", "position": position, "match": match,
                             "tags": {"channel": channel}})


def _offsite(channel: str) -> Mapping[str, Any]:
    return MappingProxyType({"type": "offsite", "tags": {"channel": channel}})


PRESETS: Mapping[str, Mapping[str, Any]] = MappingProxyType({
    "google_ads": _onsite(10, "search-paid", param={"gclid": "."}),
    "microsoft_ads": _onsite(11, "search-paid", param={"msclkid": "."}),
    "facebook_ads": _onsite(12, "social-paid", param={"fbclid": "."}),
    "google_organic": _onsite(
        50, "search-organic", search=True, referrer=r"^https?://([a-z0-9-]+\.)*google\."),
    "bing_organic": _onsite(
        51, "search-organic", search=True, referrer=r"^https?://([a-z0-9-]+\.)*bing\.com/"),
    "organic_search": _onsite(59, "search-organic", search=True),
    "social": _onsite(60, "social", search=False, referrer=_SOCIAL_HOSTS),
    "referral": _onsite(80, "referral", search=False, referrer="."),
    "direct": _onsite(90, "direct", direct=True),
    "tv": _offsite("tv"),
    "radio": _offsite("radio"),
    "print": _offsite("print"),
    "billboard": _offsite("billboard"),
    "direct_mail": _offsite("direct-mail"),
    "google_business_profile": _offsite("listing"),
})


def with_preset(data: object) -> object:
    """A source as written, beneath it its preset's fields; anything else is left for the
    schema to refuse (an unknown preset is refused by name, with the known ones listed)."""
    if not isinstance(data, Mapping):
        return data
    name = data.get("preset")
    preset = PRESETS.get(name) if isinstance(name, str) else None
    if preset is None:
        return data
    return {**preset, **data}
