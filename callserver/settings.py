"""Secrets and tokens, read from the environment only: a config file never holds a secret."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from callserver.attribution.proxies import ENV, TrustedProxies, parse_trusted_proxies


@dataclass(frozen=True)
class Secrets:
    ami_user: str | None = None
    ami_secret: str | None = field(default=None, repr=False)
    admin_token: str | None = field(default=None, repr=False)
    publisher_tokens: Mapping[str, str] = field(default_factory=dict, repr=False)
    # Scrape-only: lets Prometheus read /metrics without holding the admin token.
    metrics_token: str | None = field(default=None, repr=False)

    @property
    def ami_on(self) -> bool:
        """AMI is followed only with both login settings."""
        return bool(self.ami_user and self.ami_secret)

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
    """`acme:tok1,metro:tok2` -> token -> publisher (tokens are what requests carry). A bad
    entry is named by its place, never quoted: it may be someone's token."""
    tokens: dict[str, str] = {}
    for place, item in enumerate(filter(None, (part.strip() for part in text.split(","))), 1):
        publisher, sep, token = item.partition(":")
        if not sep or not publisher or not token:
            raise ValueError(f"CALLSERVER_PUBLISHER_TOKENS: entry {place} is not "
                             "publisher:token")
        tokens[token] = publisher
    return tokens


def trusted_proxies_from_env(env: Mapping[str, str] | None = None) -> TrustedProxies:
    """Whose `X-Forwarded-*` headers are believed: a proxy on this host (loopback) unless
    CALLSERVER_TRUSTED_PROXIES lists what connects to callserver, such as a load balancer's
    addresses or a CDN's ranges in front of the local proxy."""
    env = os.environ if env is None else env
    return parse_trusted_proxies(env.get(ENV, ""))


@dataclass(frozen=True)
class NodeSettings:
    """Who this node is among several sharing one store, and when a silent one is dead.

    The default id is the host name, stable across restarts, so a node that crashed closes
    its own calls as soon as it is back; several nodes on one host each need CALLSERVER_NODE.
    Heartbeats are compared across nodes' clocks: keep them within `dead_after_s` of each other.
    """

    node: str
    heartbeat_s: float = 5.0
    dead_after_s: float = 30.0

    def __post_init__(self) -> None:
        if not 0 < self.heartbeat_s < self.dead_after_s:
            raise ValueError(f"node heartbeat every {self.heartbeat_s} s must be positive and "
                             f"shorter than the {self.dead_after_s} s after which a node is dead")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> NodeSettings:
        env = os.environ if env is None else env
        return cls(node=env.get("CALLSERVER_NODE") or socket.gethostname(),
                   heartbeat_s=float(env.get("CALLSERVER_HEARTBEAT_S") or 5.0),
                   dead_after_s=float(env.get("CALLSERVER_NODE_TIMEOUT_S") or 30.0))
