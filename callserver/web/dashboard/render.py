"""Pages as HTML: one sandboxed Jinja2 environment with autoescape on, since caller ids, tags
and webhook errors come from outside (the sandbox too: no template reaches `__class__` and the
like, whatever a later page passes it), and the headers every dashboard answer carries.

The Content-Security-Policy allows script only from our own origin, so even markup that got
past escaping could not run; styles are inline in the base template, hence `'unsafe-inline'`
for styles alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytz
from aiohttp import web
from jinja2 import PackageLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from callserver.web.auth import Principal
from callserver.web.dashboard.session import SESSION_COOKIE, Signer
from callserver.web.keys import LIVE

HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; connect-src 'self'; "
    "style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _when(value: datetime | str | None, timezone: str, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """An instant in the config's time zone, as the people reading the dashboard live."""
    if value is None:
        return ""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.astimezone(pytz.timezone(timezone)).strftime(fmt)


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _blank(value: object) -> object:
    return "—" if value is None or value == "" else value


def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=PackageLoader("callserver.web", "templates"),
                               autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                               lstrip_blocks=True)
    env.filters.update(when=_when, money=_money, rate=_rate, blank=_blank,
                       pretty=lambda value: json.dumps(value, indent=2, sort_keys=True))
    return env


@dataclass(frozen=True)
class Dashboard:
    """What every dashboard handler shares: the templates and the cookie signer."""

    env: SandboxedEnvironment
    signer: Signer

    def render(self, request: web.Request, name: str, principal: Principal | None,
               **context: Any) -> str:
        """`name`.html.j2 for `principal`; the token its forms post back (sign out, retry a
        delivery) is bound to the session cookie the page was asked with."""
        cookie = request.cookies.get(SESSION_COOKIE, "")
        return self.env.get_template(f"{name}.html.j2").render(
            principal=principal, path=request.path, post_token=self.signer.form_token(cookie),
            tz=request.app[LIVE].current.model.timezone, **context)

    def page(self, request: web.Request, name: str, principal: Principal | None,
             status: int = 200, **context: Any) -> web.Response:
        return web.Response(text=self.render(request, name, principal, **context),
                            status=status, content_type="text/html", charset="utf-8",
                            headers=HEADERS)
