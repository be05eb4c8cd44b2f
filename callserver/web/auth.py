"""Bearer tokens: the admin sees everything; a publisher sees only its own numbers."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from aiohttp import web

from callserver.settings import Secrets


@dataclass(frozen=True)
class Principal:
    """Who is asking: `publisher` is None for the admin."""

    publisher: str | None

    @property
    def is_admin(self) -> bool:
        return self.publisher is None


def authenticate(request: web.Request, secrets: Secrets) -> Principal:
    """The caller's principal, or 401 when the bearer token is missing or wrong."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("send Authorization: Bearer TOKEN")
    if secrets.admin_token and hmac.compare_digest(token, secrets.admin_token):
        return Principal(publisher=None)
    for known, publisher in secrets.publisher_tokens.items():
        if hmac.compare_digest(token, known):
            return Principal(publisher=publisher)
    raise _unauthorized("unknown token")


def require_admin(request: web.Request, secrets: Secrets) -> Principal:
    principal = authenticate(request, secrets)
    if not principal.is_admin:
        raise web.HTTPForbidden(text='{"error": "admin token required"}',
                                content_type="application/json")
    return principal


def _unauthorized(reason: str) -> web.HTTPUnauthorized:
    return web.HTTPUnauthorized(
        text=f'{{"error": "{reason}"}}', content_type="application/json",
        headers={"WWW-Authenticate": 'Bearer realm="callserver"'})
