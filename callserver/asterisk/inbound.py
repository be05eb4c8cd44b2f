"""`AGI(agi://HOST:4573/inbound)`: a call to a tracked number, handed to callserver."""

from __future__ import annotations

import logging

from callserver.asterisk import channel_vars
from callserver.asterisk.agi.server import Handler
from callserver.asterisk.agi.session import AgiSession
from callserver.live import LiveConfig

log = logging.getLogger(__name__)


def inbound_handler(live: LiveConfig) -> Handler:
    async def handle(session: AgiSession) -> None:
        config = live.current  # this call keeps this config even if a reload happens
        env = session.env
        # EXTEN is what the dialplan matched; DNID helps when the call arrived at `s`.
        view = config.lookup(env.extension) or config.lookup(env.dnid or "")
        dialled = env.extension if view is None else view.number
        if view is None:
            log.warning("unknown number %r from %r: handed back to the dialplan",
                        dialled, env.callerid)
            await session.set_variable(channel_vars.RESULT, "unknown-number")
            return
        await session.set_variable(channel_vars.CAMPAIGN, view.campaign)

    return handle
