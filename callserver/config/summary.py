"""One line per campaign, so `check` shows what the file means, not only that it parsed."""

from __future__ import annotations

from callserver.config.resolve import ResolvedConfig


def campaign_lines(config: ResolvedConfig) -> list[str]:
    lines = []
    for name, campaign in config.model.campaigns.items():
        views = [v for v in config.numbers.values() if v.campaign == name]
        static = sum(1 for v in views if v.role == "static")
        pooled = sum(1 for v in views if v.role == "pool")
        # of the numbers counted above: a pool's fallback, unlocked with it, is not one of them
        unlocked = sum(1 for v in views if v.unlocked and v.role != "fallback")
        targets = ", ".join(t.target for t in campaign.routing.targets) or "no targets"
        parts = [
            f"{static} static number{'s' * (static != 1)}",
            f"{len(campaign.pools)} pool{'s' * (len(campaign.pools) != 1)} "
            f"({pooled} number{'s' * (pooled != 1)})",
            f"routing {campaign.routing.strategy} -> {targets}",
            f"hours {campaign.schedule or 'always open'}",
        ]
        if campaign.ivr is not None:
            parts.append(f"IVR {len(campaign.ivr.options)} options")
        if unlocked:
            parts.append(f"{unlocked} unlocked")
        if campaign.webhooks:
            parts.append(f"{len(campaign.webhooks)} webhook{'s' * (len(campaign.webhooks) != 1)}")
        lines.append(f"{name}: " + "; ".join(parts))
    return lines
