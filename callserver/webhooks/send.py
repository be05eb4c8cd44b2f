"""One attempt at one delivery: sign or add the secret, send, and say what came of it.

Secrets are read from the environment now, at send time, so none is stored in the outbox and a
rotated secret takes effect on the next attempt. A missing secret is not retried: the delivery
is parked with an error naming the variable, and is retried from the API once it is set. The
values of `headers_env` are read the same way (`env_headers`), but a missing one is retried
like any failed attempt; no error quotes any of these values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

import aiohttp
from yarl import URL

from callserver.store.delivery_values import Delivery, DeliveryKind
from callserver.webhooks.env_headers import EnvHeaderMissing, env_headers
from callserver.webhooks.signing import sign
from callserver.webhooks.urls import same_host, url_problem

REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 3
ERROR_TEXT = 200
USER_AGENT = "callserver-webhooks/1"


@dataclass(frozen=True)
class Attempt:
    """What one attempt came to: delivered; or an error, retried unless `final`."""

    delivered: bool
    error: str | None = None
    final: bool = False


@dataclass(frozen=True)
class _Request:
    method: str
    url: URL
    headers: dict[str, str]
    body: bytes | None


async def attempt(http: aiohttp.ClientSession, delivery: Delivery, now: datetime,
                  env: Mapping[str, str]) -> Attempt:
    """Send `delivery` once through `http`, whose timeout bounds each request."""
    problem = url_problem(delivery.url)
    if problem is not None:
        return Attempt(False, problem, final=True)
    secret = env.get(delivery.secret_env, "") if delivery.secret_env else None
    if secret == "":
        return Attempt(False, f"environment variable {delivery.secret_env} is not set: set it "
                              "and retry the delivery", final=True)
    try:
        from_env = env_headers(delivery.headers_env, env)
    except EnvHeaderMissing as exc:
        return Attempt(False, str(exc))  # retried, then parked, as any failed attempt
    request = _request(delivery, secret, from_env, now)
    try:
        outcome = await _send(http, request)
    except (aiohttp.ClientError, TimeoutError) as exc:
        outcome = Attempt(False, f"{type(exc).__name__}: {exc}".rstrip(": "))
    return replace(outcome, error=_redacted(outcome.error, secret, from_env))


def _redacted(error: str | None, secret: str | None, from_env: dict[str, str]) -> str | None:
    """An error may quote the URL (GA4's secret rides in it), and a receiver may quote a header
    back, whole or only the credential after its scheme (`Bearer KEY`)."""
    values = [secret, *from_env.values(), *(v.rpartition(" ")[2] for v in from_env.values())]
    for value in values:
        if value and error:
            error = error.replace(value, "***")
    return error


def _request(delivery: Delivery, secret: str | None, from_env: dict[str, str],
             now: datetime) -> _Request:
    url = URL(delivery.url)
    body = None if delivery.method == "GET" else delivery.body.encode()
    headers = {"user-agent": USER_AGENT, **delivery.headers, **from_env}
    if delivery.kind is DeliveryKind.GA4 and secret:
        url = url.update_query(api_secret=secret)
    elif secret:
        headers |= sign(secret, delivery.id, now, body or b"")
    else:
        headers["webhook-id"] = delivery.id  # unsigned, but receivers still deduplicate on it
    return _Request(delivery.method, url, headers, body)


async def _send(http: aiohttp.ClientSession, request: _Request) -> Attempt:
    url = request.url
    for _ in range(MAX_REDIRECTS + 1):
        async with http.request(request.method, url, headers=request.headers,
                                data=request.body, allow_redirects=False) as response:
            if 200 <= response.status < 300:
                return Attempt(True)
            location = response.headers.get("Location")
            if response.status not in REDIRECTS or not location:
                text = (await response.content.read(ERROR_TEXT)).decode(errors="replace")
                return Attempt(False, f"HTTP {response.status} {text}".strip())
        target = url.join(URL(location))
        if not same_host(request.url, target):
            return Attempt(False, f"HTTP {response.status}: redirect to another host "
                                  f"({target.host}) not followed")
        url = target
    return Attempt(False, f"more than {MAX_REDIRECTS} redirects")
