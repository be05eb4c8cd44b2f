"""Chrome's DevTools protocol over aiohttp's websocket client: enough to open a tab, load a
page, run script in it and hold a request. No browser download, no driver binary."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import aiohttp

Message = dict[str, Any]


class CdpError(Exception):
    """The browser refused a command or a page's script threw."""


@dataclass
class Cdp:
    """One browser-level connection; tabs talk through it with flattened sessions."""

    ws: aiohttp.ClientWebSocketResponse
    _ids: count[int] = field(default_factory=lambda: count(1))
    _replies: dict[int, asyncio.Future[Message]] = field(default_factory=dict)
    _waiters: list[tuple[str, str | None, asyncio.Future[Message]]] = field(default_factory=list)

    async def send(self, method: str, params: Message | None = None,
                   session: str | None = None) -> Message:
        ident = next(self._ids)
        reply = self._replies[ident] = asyncio.get_running_loop().create_future()
        message: Message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            await self.ws.send_str(json.dumps(message))
            answer = await asyncio.wait_for(reply, 15)
        finally:
            self._replies.pop(ident, None)
        if "error" in answer:
            raise CdpError(f"{method}: {answer['error']}")
        result: Message = answer.get("result", {})
        return result

    def expect(self, method: str, session: str | None) -> asyncio.Future[Message]:
        """Register before acting, so an event that follows at once is not missed."""
        future = asyncio.get_running_loop().create_future()
        self._waiters.append((method, session, future))
        return future

    async def read(self) -> None:
        async for frame in self.ws:
            message = json.loads(frame.data)
            if "id" in message:
                reply = self._replies.get(message["id"])
                if reply and not reply.done():
                    reply.set_result(message)
                continue
            for waiter in [w for w in self._waiters
                           if w[:2] == (message["method"], message.get("sessionId"))]:
                self._waiters.remove(waiter)
                if not waiter[2].done():
                    waiter[2].set_result(message["params"])
        for reply in [r for r in self._replies.values() if not r.done()]:
            reply.set_exception(ConnectionError("the browser closed the connection"))

    async def tab(self) -> Tab:
        target = await self.send("Target.createTarget", {"url": "about:blank"})
        attached = await self.send("Target.attachToTarget",
                                   {"targetId": target["targetId"], "flatten": True})
        tab = Tab(self, attached["sessionId"])
        await tab.send("Page.enable")
        return tab


@dataclass(frozen=True)
class Tab:
    cdp: Cdp
    session: str

    async def send(self, method: str, params: Message | None = None) -> Message:
        return await self.cdp.send(method, params, self.session)

    def expect(self, method: str) -> asyncio.Future[Message]:
        return self.cdp.expect(method, self.session)

    async def goto(self, url: str) -> None:
        """Navigate and wait for the load event (async scripts may still be running)."""
        loaded = self.expect("Page.loadEventFired")
        await self.send("Page.navigate", {"url": url})
        await asyncio.wait_for(loaded, 15)

    async def eval(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", {
            "expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise CdpError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, within: float = 10) -> Any:
        """The expression's first truthy value, polled inside the page."""
        poll = (f"new Promise(done => {{ const poll = () => {{ const v = ({expression}); "
                f"v ? done(v) : setTimeout(poll, 20) }}; poll() }})")
        try:
            return await asyncio.wait_for(self.eval(poll), within)
        except TimeoutError:
            last = await self.eval(expression)
            raise AssertionError(f"never true: {expression} (last {last!r})") from None


@contextlib.asynccontextmanager
async def connect(ws_url: str) -> AsyncIterator[Cdp]:
    async with aiohttp.ClientSession() as http, http.ws_connect(ws_url, max_msg_size=0) as ws:
        cdp = Cdp(ws)
        reader = asyncio.create_task(cdp.read())
        try:
            yield cdp
        finally:
            await ws.close()
            await reader
