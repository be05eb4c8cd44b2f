"""`POST /api/numbers/release` (admin): numbers out of service at once, by number, campaign or
pool, as `callserver numbers release` does.

A release ends the numbers' leases and starts their cooling-off in one store write, then has
the live config admitted again, so swap stops showing them at once; the config file is never
rewritten (the answer names the lines to delete).
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from callserver.numbers.gate import cooling_off
from callserver.numbers.listing import record
from callserver.numbers.places import places
from callserver.numbers.release import Ask, release
from callserver.web.auth import require_admin
from callserver.web.keys import CLOCK, LIVE, SECRETS, STORE

_ASK_KEYS = ("numbers", "campaigns", "pools")


class NothingReleased(Exception):
    """Something asked for is unknown, so nothing was released; the message names it."""


async def release_numbers(request: web.Request) -> web.Response:
    require_admin(request, request.app[SECRETS])
    try:
        ask = _ask(await request.json())
    except ValueError as error:
        return _error(400, str(error))
    try:
        return web.json_response(await release_now(request.app, ask))
    except NothingReleased as error:
        return _error(404, str(error))


async def release_now(app: web.Application, ask: Ask) -> dict[str, Any]:
    """Release what `ask` names and admit the live config again: the API's answer, and the
    dashboard's (`released`, `leases_ended`, `already_released`, `delete_from_config`)."""
    live, now = app[LIVE], app[CLOCK]()
    done = await app[STORE].write(release, ask, now, durable=True)
    if done.problems:
        raise NothingReleased("nothing released: " + "; ".join(done.problems))
    if done.entries:
        await asyncio.to_thread(live.readmit)
    cooling = cooling_off(live.current)
    return {
        "released": [record(e, cooling, now) for e in done.entries],
        "leases_ended": list(done.leases_ended),
        "already_released": [record(e, cooling, now) for e in done.already],
        "delete_from_config": [
            {"file": p.file, "line": p.line, "path": p.path, "text": p.text}
            for p in places(live.loaded, [e.number for e in done.entries])]}


def _ask(body: Any) -> Ask:
    if not isinstance(body, dict) or set(body) - set(_ASK_KEYS):
        raise ValueError(f"expected an object with any of {', '.join(_ASK_KEYS)}")
    lists = {key: body.get(key, []) for key in _ASK_KEYS}
    for key, value in lists.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{key}: expected a list of strings")
    return Ask(tuple(lists["numbers"]), tuple(lists["campaigns"]), tuple(lists["pools"]))


def _error(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/numbers/release", release_numbers)
