"""Secrets and tokens, read from the environment only: a config file never holds a secret."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Secrets:
    ami_user: str | None = None
    ami_secret: str | None = field(default=None, repr=False)
    admin_token: str | None = field(default=None, repr=False)
    publisher_tokens: Mapping[str, str] = field(default_factory=dict, repr=False)
    # Scrape-only: lets Prometheus read /metrics without holding the admin token.
    metrics_token: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Secrets:
        env = os.environ if env is None else env
        return cls(
            ami_user=env.get("CALLSERVER_AMI_USER") or None,
            ami_secret=env.get("CALLSERVER_AMI_SECRET") or None,
            admin_token=env.get("CALLSERVER_ADMIN_TOKEN") or None,
            publisher_tokens=MappingProxyType(
                parse_publisher_tokens(env.get("CALLSERVER_PUBLISHER_TOKENS", ""))),
            metrics_token=env.get("CALLSERVER_METRICS_TOKEN") or None,
        )


def parse_publisher_tokens(text: str) -> dict[str, str]:
    """`acme:tok1,metro:tok2` -> token -> publisher (tokens are what requests carry)."""
    tokens: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        publisher, sep, token = item.partition(":")
        if not sep or not publisher or not token:
            raise ValueError(
                f"CALLSERVER_PUBLISHER_TOKENS: {item!r} is not publisher:token")
        tokens[token] = publisher
    return tokens
