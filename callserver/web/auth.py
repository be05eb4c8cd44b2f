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
    principal = principal_for(token, secrets)
    if principal is None:
        raise _unauthorized("unknown token")
    return principal


def principal_for(token: str, secrets: Secrets) -> Principal | None:
    """Whose token this is, compared in constant time; the dashboard's sign-in form asks too."""
    if secrets.admin_token and same_token(token, secrets.admin_token):
        return Principal(publisher=None)
    for known, publisher in secrets.publisher_tokens.items():
        if same_token(token, known):
            return Principal(publisher=publisher)
    return None


def same_token(sent: str, known: str) -> bool:
    """Constant-time equality of two tokens as bytes: `hmac.compare_digest` refuses a str with
    non-ASCII characters (a 500 for any client sending one), and aiohttp hands over header
    bytes that are not UTF-8 as surrogate escapes, which plain `encode()` refuses too."""
    return hmac.compare_digest(sent.encode("utf-8", "surrogateescape"),
                               known.encode("utf-8", "surrogateescape"))


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
