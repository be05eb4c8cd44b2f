"""The body of `POST /swap/session`, checked field by field: anything a browser would not send
is refused with a reason (the endpoint answers 400), never let through to become a 500."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from callserver import jsonwire
from callserver.config.schema.patterns import NAME_PATTERN

MAX_BODY = 16 * 1024
MAX_URL = 4096
MAX_COOKIES = 32
MAX_COOKIE_CHARS = 512
MAX_PAGE_VIEWS = 1_000_000
# Ids this server issues: 16 random bytes, URL-safe base64 (`secrets.token_urlsafe(16)`).
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22}$")
_NAME = re.compile(NAME_PATTERN)


class BadRequest(ValueError):
    """The reason is shown to the client as `{"error": reason}`."""


@dataclass(frozen=True)
class SwapRequest:
    campaign: str
    visitor_id: str | None
    url: str
    referrer: str
    cookies: Mapping[str, str]
    page_views: int


def parse_request(body: bytes) -> SwapRequest:
    if len(body) > MAX_BODY:
        raise BadRequest(f"body over {MAX_BODY} bytes")
    try:
        data = jsonwire.loads(body)
    except jsonwire.JsonRefused as error:
        # Bad UTF-8 and lone surrogates (`"\\ud800"`: no column can hold one) are refused
        # there, so every string that gets through is storable as it is.
        raise BadRequest(f"body is not JSON ({error})") from None
    if not isinstance(data, dict):
        raise BadRequest("body must be a JSON object")
    campaign = data.get("campaign")
    if not isinstance(campaign, str) or not _NAME.match(campaign):
        raise BadRequest("campaign: expected a campaign name")
    visitor_id = data.get("visitor_id")
    if visitor_id is not None and not (
            isinstance(visitor_id, str) and ID_PATTERN.match(visitor_id)):
        raise BadRequest("visitor_id: not an id this server issued")
    return SwapRequest(campaign=campaign, visitor_id=visitor_id,
                       url=_http_url(data.get("url"), "url", required=True),
                       referrer=_http_url(data.get("referrer"), "referrer", required=False),
                       cookies=_cookies(data.get("cookies")),
                       page_views=_page_views(data.get("page_views", 1)))


def _http_url(value: Any, field: str, *, required: bool) -> str:
    if not required and value in (None, ""):
        return ""
    if not isinstance(value, str) or len(value) > MAX_URL:
        raise BadRequest(f"{field}: expected a URL of at most {MAX_URL} characters")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise BadRequest(f"{field}: not a URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadRequest(f"{field}: expected an http or https URL")
    return value


def _cookies(value: Any) -> Mapping[str, str]:
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, dict) or len(value) > MAX_COOKIES:
        raise BadRequest(f"cookies: expected an object of at most {MAX_COOKIES} names")
    if not all(isinstance(v, str) and len(v) <= MAX_COOKIE_CHARS for v in value.values()):
        raise BadRequest(f"cookies: values must be strings of at most {MAX_COOKIE_CHARS} "
                         "characters")
    return MappingProxyType(value)


def _page_views(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGE_VIEWS:
        raise BadRequest("page_views: expected a whole number from 1")
    return value
