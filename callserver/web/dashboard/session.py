"""Dashboard sign-in: a browser cannot send a bearer header when it follows a link, so the token
is typed once into a form and traded for a cookie holding the signed principal.

The cookie is `base64(json).hmac`, HMAC-SHA256 under a key from `CALLSERVER_DASHBOARD_KEY` or,
without it, random per process (a restart then signs everyone out). It is HttpOnly, so page
script cannot read it, and SameSite=Strict, so no other site's link or form carries it. Every
POST must also come from our own origin and carry a form token bound to the cookie it acts
under, so a page elsewhere can neither act as a signed-in user nor sign one in as itself.
A session ends when its token leaves the environment (no admin token, or the publisher's gone).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from secrets import token_bytes

from aiohttp import web

from callserver.settings import Secrets
from callserver.web.auth import Principal, same_token
from callserver.web.forwarded import seen_by_client

SESSION_COOKIE = "callserver_dashboard"
LOGIN_COOKIE = "callserver_login"
SESSION_SECONDS = 12 * 3600
KEY_ENV = "CALLSERVER_DASHBOARD_KEY"


@dataclass(frozen=True)
class Signer:
    """Signs principals into cookie values and derives form tokens from cookie values."""

    key: bytes

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Signer:
        text = (os.environ if env is None else env).get(KEY_ENV)
        return cls(text.encode() if text else token_bytes(32))

    def session(self, principal: Principal, now: float) -> str:
        raw = json.dumps({"publisher": principal.publisher, "expires": int(now) + SESSION_SECONDS})
        body = base64.urlsafe_b64encode(raw.encode()).decode()
        return f"{body}.{self._mac('session', body)}"

    def principal(self, value: str, known: Secrets, now: float) -> Principal | None:
        """The signed-in principal, or None if the cookie is forged, expired or revoked."""
        body, _, mac = value.partition(".")
        if not same_token(mac, self._mac("session", body)):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(body))
        except (ValueError, binascii.Error):
            return None
        if data["expires"] <= now:
            return None
        publisher = data["publisher"]
        if publisher is None:
            return Principal(None) if known.admin_token else None
        return Principal(publisher) if publisher in known.publisher_tokens.values() else None

    def form_token(self, bound_to: str) -> str:
        """The hidden field a form sends back: valid only with the cookie it was made for."""
        return self._mac("form", bound_to)

    def check_form(self, bound_to: str | None, sent: object) -> bool:
        return (bound_to is not None and isinstance(sent, str)
                and same_token(sent, self.form_token(bound_to)))

    def _mac(self, purpose: str, text: str) -> str:
        return hmac.new(self.key, f"{purpose}|{text}".encode(), hashlib.sha256).hexdigest()


def same_origin(request: web.Request) -> bool:
    """A browser names the origin of the page a POST came from; only our own pages may post."""
    origin = request.headers.get("Origin")
    if origin is None:
        return request.headers.get("Sec-Fetch-Site") == "same-origin"
    return origin.lower() == seen_by_client(request).origin


def foreign_origin(request: web.Request) -> str | None:
    """Why a POST is not from our own page, in words a person signing in can act on (a script
    that sends no Origin, a proxy that does not say the browser's scheme and host); None when
    it is."""
    if same_origin(request):
        return None
    ours = seen_by_client(request).origin
    sent = request.headers.get("Origin")
    said = f"from {sent}" if sent else "without an Origin header"
    return (f"Refused: this form was posted {said}, and only this server's own page, {ours}, "
            "may post it. Behind a proxy, see the README's Behind a reverse proxy.")


def set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str,
               max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/dashboard", httponly=True,
                        samesite="Strict", secure=seen_by_client(request).secure)
