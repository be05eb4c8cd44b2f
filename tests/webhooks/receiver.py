"""A real HTTP receiver on 127.0.0.1 that records every request and answers as told."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiohttp import web
from multidict import CIMultiDict
from yarl import URL


@dataclass(frozen=True)
class Received:
    method: str
    url: URL
    headers: CIMultiDict[str]
    body: bytes


@dataclass
class Receiver:
    """`statuses` are answered in turn (then 200); `/moved` redirects to `/hook` on this host,
    `/away` redirects to another host, `/slow` answers only once the test ends, `/echo`
    refuses with 401 quoting the key of the Authorization header it was sent (as some APIs
    do)."""

    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    base: str = ""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.received.append(Received(request.method, request.url,
                                      CIMultiDict(request.headers), await request.read()))
        self.arrived.set()
        if request.path == "/moved":
            raise web.HTTPTemporaryRedirect("/hook")
        if request.path == "/away":
            raise web.HTTPFound("http://localhost:9/elsewhere")
        if request.path == "/echo":
            key = request.headers.get("Authorization", "").rpartition(" ")[2]
            return web.Response(status=401, text=f"unknown key {key}")
        if request.path == "/slow":
            await self.release.wait()
        status = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=status, text="ok" if status < 300 else "receiver broke")

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.url.path == path]
