"""What the swap endpoint needs of one config (campaigns' offers, compiled source rules, the
sites' origins, privacy and limits), built once per config digest rather than per request."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from aiohttp import web

from callserver.attribution.offers import CampaignSwap, campaign_swaps
from callserver.attribution.sources import Rules, source_rules
from callserver.config.resolve import ResolvedConfig
from callserver.config.schema.privacy import Attribution, Privacy


@dataclass(frozen=True)
class Prepared:
    """What requests need of one config, built once per config digest."""

    digest: str
    swaps: Mapping[str, CampaignSwap]
    rules: Rules
    origins: frozenset[str]
    privacy: Privacy
    ip_key: bytes
    limits: Attribution


class Preparer:
    """Keeps the `Prepared` of the live config; the random IP key outlives reloads."""

    def __init__(self) -> None:
        self._random_key = secrets.token_bytes(32)
        self._last: Prepared | None = None

    def __call__(self, config: ResolvedConfig) -> Prepared:
        if self._last is None or self._last.digest != config.digest:
            swaps = campaign_swaps(config)
            privacy = config.model.privacy
            env_key = os.environ.get(privacy.ip_hash_key_env or "", "")
            self._last = Prepared(
                config.digest, swaps, source_rules(config.onsite_sources),
                frozenset().union(*(s.origins for s in swaps.values())),
                privacy, env_key.encode() or self._random_key, config.model.attribution)
        return self._last


PREPARED = web.AppKey("swap_prepared", Preparer)
