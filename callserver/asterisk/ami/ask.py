"""One action on a link, bounded in time.

A link's `request` waits as long as it takes, and a half-open link answers nothing; every action
the client sends (Login, Ping, CoreShowChannels, the caller's own) goes through here, so each
one gives up in time and says which action went unanswered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from callserver.asterisk.ami.correlate import AmiResponse
from callserver.asterisk.ami.link import AmiLink
from callserver.asterisk.ami.wire import FieldValue


async def ask(
    link: AmiLink,
    name: str,
    fields: Mapping[str, FieldValue],
    within: float,
    action_id: str | None = None,
) -> AmiResponse:
    """`link.request` bounded in time, with a timeout that says which action went unanswered."""
    try:
        async with asyncio.timeout(within):
            return await link.request(name, fields, action_id)
    except TimeoutError:
        raise TimeoutError(f"no answer to {name} within {within:g} s") from None
