"""The swap endpoint's geo edge: the live config's geo plan and its open database, renewed on
every reload (which is also how an updated database file is picked up).

A page view costs one dict lookup when its campaign has no `geo: nearest`, and one database
lookup when it has. With no usable `geoip_db`, geo is off: one log line per config says so.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from types import MappingProxyType

from aiohttp import web

from callserver.config.resolve import ResolvedConfig
from callserver.numbers.geo.lookup import GeoDatabase
from callserver.numbers.geo.plan import CampaignGeo, Near, geo_plan
from callserver.web.keys import LIVE

log = logging.getLogger(__name__)


class Locator:
    def __init__(self) -> None:
        self._config: ResolvedConfig | None = None
        self._plan: Mapping[str, CampaignGeo] = MappingProxyType({})
        self._db: GeoDatabase | None = None

    def near(self, config: ResolvedConfig, campaign: str, ip: str | None) -> Near | None:
        """None when geo does not apply: no `geo: nearest` in the campaign, no database, or an
        address it does not place."""
        if config is not self._config:
            self.prepare(config)
        geo = self._plan.get(campaign)
        if geo is None or self._db is None or ip is None:
            return None
        visitor = self._db.locate(ip)
        return None if visitor is None else Near(geo, visitor)

    def prepare(self, config: ResolvedConfig) -> None:
        self.close()
        self._config, self._plan = config, geo_plan(config)
        if not self._plan:
            return
        named = config.model.geoip_db
        if named is None:
            log.warning("geo: nearest is set but the config has no geoip_db: geo is off")
            return
        path = Path(config.path).parent / named
        try:
            self._db = GeoDatabase(path)
        except (OSError, ValueError) as exc:
            log.warning("geoip_db %s cannot be read (%s): geo is off", path, exc)
            return
        log.info("geoip_db %s: %s", path, self._db.description)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


GEO = web.AppKey("geo", Locator)


def install_geo(app: web.Application) -> None:
    """The locator, opened for the config the app starts with and closed with the app."""
    app[GEO] = Locator()

    async def opened(app: web.Application) -> AsyncIterator[None]:
        app[GEO].prepare(app[LIVE].current)
        yield
        app[GEO].close()

    app.cleanup_ctx.append(opened)
