"""Typed application keys: each shared resource of the HTTP app, named once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from callserver.asterisk.agi.server import AgiServer
from callserver.asterisk.ami.client import AmiClient
from callserver.attribution.proxies import TrustedProxies
from callserver.live import LiveConfig
from callserver.settings import Secrets
from callserver.store.open import AnyStore

LIVE = web.AppKey("live", LiveConfig)
SECRETS = web.AppKey("secrets", Secrets)
STORE = web.AppKey[AnyStore]("store")
# Every handler that needs the time asks this clock, so tests can move time without sleeping.
CLOCK = web.AppKey[Callable[[], datetime]]("clock")
AGI = web.AppKey("agi", AgiServer)
AMI = web.AppKey("ami", AmiClient)
# Whose X-Forwarded-* headers are believed (CALLSERVER_TRUSTED_PROXIES).
TRUSTED_PROXIES = web.AppKey("trusted_proxies", TrustedProxies)
