"""Who is looking at a dashboard page: `GET/POST /dashboard/login` trades a token for a signed
session cookie, `POST /dashboard/logout` drops it, and every page asks `signed_in` first.

Sign-in binds its form token to a random cookie set with the form, since there is no session
yet to bind to; the `next` page it returns to must be one of ours, never another site.
"""

from __future__ import annotations

import time
from secrets import token_urlsafe
from urllib.parse import quote

from aiohttp import web

from callserver.web.auth import Principal, principal_for
from callserver.web.dashboard.render import HEADERS, Dashboard
from callserver.web.dashboard.session import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    SESSION_SECONDS,
    foreign_origin,
    same_origin,
    set_cookie,
)
from callserver.web.keys import SECRETS

DASHBOARD = web.AppKey("dashboard", Dashboard)
HOME = "/dashboard/today"


def signed_in(request: web.Request) -> Principal:
    """The session's principal; without one a page sends the browser to sign in and back
    (a live update, fetched by script, is told 401 instead)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    principal = cookie and request.app[DASHBOARD].signer.principal(
        cookie, request.app[SECRETS], time.time())
    if principal:
        return principal
    if request.path.endswith("/live"):
        raise web.HTTPUnauthorized(text="sign in again", headers=HEADERS)
    raise web.HTTPSeeOther(f"/dashboard/login?next={quote(request.path_qs, safe='')}",
                           headers=HEADERS)


def admin_only(request: web.Request) -> Principal:
    principal = signed_in(request)
    if not principal.is_admin:
        raise refusal(request, principal, web.HTTPForbidden, "This page is for the admin only.")
    return principal


async def posted_by_our_page(request: web.Request) -> None:
    """A form a signed-in page sent: from our origin, with the token bound to its session
    cookie, so another site cannot make a signed-in browser post it."""
    form = await request.post()
    cookie = request.cookies.get(SESSION_COOKIE)
    if not (same_origin(request)
            and request.app[DASHBOARD].signer.check_form(cookie, form.get("form_token"))):
        raise web.HTTPForbidden(text="cross-site request refused", headers=HEADERS)


def refusal(request: web.Request, principal: Principal, kind: type[web.HTTPException],
            message: str) -> web.HTTPException:
    """An error page in the dashboard's frame, to raise."""
    html = request.app[DASHBOARD].render(request, "error", principal, message=message,
                                         status=kind.status_code)
    return kind(text=html, content_type="text/html", headers=HEADERS)


def _next(text: object) -> str:
    """Only a path on this dashboard: `//evil.example` or a full URL would leave the site."""
    if isinstance(text, str) and text.startswith("/dashboard") and "\\" not in text:
        return text
    return HOME


def _login_form(request: web.Request, status: int = 200, error: str | None = None,
                next_page: object = None) -> web.Response:
    nonce = token_urlsafe(24)
    response = request.app[DASHBOARD].page(
        request, "login", None, status, error=error,
        next=_next(next_page or request.query.get("next")),
        form_token=request.app[DASHBOARD].signer.form_token(nonce))
    set_cookie(request, response, LOGIN_COOKIE, nonce, max_age=3600)
    return response


def _redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={**HEADERS, "Location": location})


def add_routes(app: web.Application) -> None:
    async def login_form(request: web.Request) -> web.Response:
        return _login_form(request)

    async def login(request: web.Request) -> web.Response:
        form = await request.post()
        signer = request.app[DASHBOARD].signer
        refused = foreign_origin(request)
        if refused is not None:
            return _login_form(request, 403, refused)
        if not signer.check_form(request.cookies.get(LOGIN_COOKIE), form.get("form_token")):
            return _login_form(request, 403, "The form expired; please sign in again.")
        token = form.get("token")
        principal = (principal_for(token, request.app[SECRETS])
                     if isinstance(token, str) and token else None)
        if principal is None:
            return _login_form(request, 401, "Unknown token.", form.get("next"))
        response = _redirect(_next(form.get("next")))
        set_cookie(request, response, SESSION_COOKIE, signer.session(principal, time.time()),
                   max_age=SESSION_SECONDS)
        response.del_cookie(LOGIN_COOKIE, path="/dashboard")
        return response

    async def logout(request: web.Request) -> web.Response:
        await posted_by_our_page(request)
        response = _redirect("/dashboard/login")
        response.del_cookie(SESSION_COOKIE, path="/dashboard")
        return response

    async def home(request: web.Request) -> web.Response:
        return _redirect(HOME)

    app.router.add_get("/dashboard", home)
    app.router.add_get("/dashboard/login", login_form)
    app.router.add_post("/dashboard/login", login)
    app.router.add_post("/dashboard/logout", logout)
