"""Typed application keys: each shared resource of the HTTP app, named once."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from callserver.live import LiveConfig
from callserver.settings import Secrets

LIVE = web.AppKey("live", LiveConfig)
SECRETS = web.AppKey("secrets", Secrets)
HEALTH = web.AppKey("health", Callable[[], dict[str, str]])
