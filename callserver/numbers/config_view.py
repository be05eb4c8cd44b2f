"""The config as the inventory sees it: the numbers it lists, and the same config with the
released ones taken out of service, so swap, pools and calls never see them and a request
pays nothing for it."""

from __future__ import annotations

import hashlib
from collections.abc import Set

from callserver.config.phone import to_e164
from callserver.config.resolve import ResolvedConfig, resolve
from callserver.config.schema import Campaign
from callserver.numbers.plan import Listed


def listed(config: ResolvedConfig) -> list[Listed]:
    """Every tracking number of the file (static, pool and fallback), with its facts."""
    return [Listed(v.number, v.kind, v.country, v.region, v.campaign, v.pool, v.role)
            for v in config.numbers.values()]


def in_service(config: ResolvedConfig, out: Set[str]) -> ResolvedConfig:
    """`config` without the numbers in `out`, resolved again (and with its own digest, so
    everything prepared per digest, such as the pool table, follows)."""
    if not out:
        return config
    campaigns = {name: _without(campaign, out) for name, campaign in config.model.campaigns.items()}
    model = config.model.model_copy(update={"campaigns": campaigns})
    marker = f"{config.digest} without {','.join(sorted(out))}"
    return resolve(model, config.path, hashlib.sha256(marker.encode()).hexdigest(),
                   config.prompts, config.warnings)


def _without(campaign: Campaign, out: Set[str]) -> Campaign:
    numbers = {raw: n for raw, n in campaign.numbers.items() if to_e164(raw) not in out}
    pools = {name: pool.model_copy(update={
        "numbers": [n for n in pool.numbers if n not in out],
        "fallback": None if pool.fallback in out else pool.fallback})
        for name, pool in campaign.pools.items()}
    return campaign.model_copy(update={"numbers": numbers, "pools": pools})
