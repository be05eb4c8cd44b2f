"""Whatever a client posts, `POST /swap/session` answers 200 or a 400 that says why: never 500."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callserver.attribution.request import MAX_BODY
from callserver.store import sessions
from tests.web.swap_support import SITE, post_sync, swap_server, swap_server_thread

GOOD: dict[str, Any] = {"campaign": "spring", "url": f"{SITE}/", "referrer": "",
                        "cookies": {}, "page_views": 1}
BAD = [
    (b"{", "body is not JSON"),
    (b"\xff\xfe", "body is not JSON"),
    (b"[1, 2]", "body must be a JSON object"),
    (b"[" * 100_000, "body over"),
    (b"[" * 5_000 + b"]" * 5_000, "body is not JSON"),
    (json.dumps({**GOOD, "campaign": None}).encode(), "campaign"),
    (json.dumps({**GOOD, "campaign": "autumn"}).encode(), "no campaign 'autumn'"),
    (json.dumps({**GOOD, "url": "ftp://www.example.com/"}).encode(), "url: expected an http"),
    (json.dumps({**GOOD, "url": "javascript:alert(1)"}).encode(), "url: expected an http"),
    (json.dumps({**GOOD, "url": "http://[::1"}).encode(), "url: not a URL"),
    (json.dumps({**GOOD, "url": 5}).encode(), "url: expected a URL"),
    (json.dumps({**GOOD, "referrer": "file:///etc/passwd"}).encode(), "referrer"),
    (json.dumps({**GOOD, "visitor_id": "../../etc"}).encode(), "visitor_id"),
    (json.dumps({**GOOD, "visitor_id": 7}).encode(), "visitor_id"),
    (json.dumps({**GOOD, "cookies": ["_ga"]}).encode(), "cookies"),
    (json.dumps({**GOOD, "cookies": {"_ga": 1}}).encode(), "cookies"),
    (json.dumps({**GOOD, "page_views": True}).encode(), "page_views"),
    (json.dumps({**GOOD, "page_views": 0}).encode(), "page_views"),
    (json.dumps({**GOOD, "url": f"{SITE}/\ud800"}).encode(), "body is not JSON (no low surrogate"),
    (json.dumps({**GOOD, "cookies": {"_ga": "\udfff"}}).encode(), "body is not JSON"),
    (json.dumps({**GOOD, "url": f"{SITE}/" + "a" * MAX_BODY}).encode(), "body over"),
]


@pytest.mark.parametrize(("data", "reason"), BAD, ids=[r for _, r in BAD])
async def test_malformed_input_is_a_400_with_a_reason(tmp_path: Path, data: bytes,
                                                      reason: str) -> None:
    async with swap_server(tmp_path) as server:
        status, answer, headers = await server.post(None, raw=data)
    assert status == 400
    assert reason in answer["error"]
    assert headers["Access-Control-Allow-Origin"] == SITE  # the snippet may read why


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with swap_server_thread(tmp_path_factory.mktemp("fuzz")) as url:
        yield url


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12)
FIELDS = {
    "campaign": st.sampled_from(["spring", "autumn", ""]) | JSON,
    "visitor_id": st.from_regex(r"\A[A-Za-z0-9_-]{20,23}\Z") | JSON,
    "url": st.sampled_from([f"{SITE}/", f"{SITE}/?utm_source=google&gclid=x", "http://x:99999/",
                            "https://", "mailto:a@b.c"]) | st.text() | JSON,
    "referrer": st.sampled_from(["", "https://www.bing.com/", "http://[::1"]) | JSON,
    "cookies": st.dictionaries(st.sampled_from(["_ga", "_biz_uid", "x"]), st.text()) | JSON,
    "page_views": st.integers(-2, 10**7) | JSON,
}
BODIES = st.one_of(
    st.fixed_dictionaries({}, optional=FIELDS).map(lambda d: json.dumps(d).encode()),
    JSON.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=64),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=BODIES)
def test_random_bodies_never_get_a_500(base: str, body: bytes) -> None:
    status, answer = post_sync(base, body)
    assert status in (200, 400), answer
    if status == 400:
        assert isinstance(answer["error"], str) and answer["error"]
    else:
        assert set(answer) >= {"visitor_id", "session_id", "number", "source",
                               "lease_expires_at", "renew_after_s"}


async def test_header_bytes_that_are_not_utf8_are_no_500(tmp_path: Path) -> None:
    """Headers are bytes: a script may send a user agent or a forwarded address that is not
    UTF-8 (aiohttp hands those bytes over as lone surrogates). The page view still gets its
    number; the agent is stored with U+FFFD for each bad byte, and an address that is not
    one is ignored, as a missing one is (the peer counts)."""
    async with swap_server(tmp_path) as server:
        host, port = server.base.removeprefix("http://").split(":")
        body = json.dumps(GOOD).encode()
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"POST /swap/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                     b"User-Agent: Mozilla/5.0 Caf\xe9\r\nX-Forwarded-For: 198.51.100.\xe9\r\n"
                     b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(body)
                     + body)
        head, _, answer = (await reader.read()).partition(b"\r\n\r\n")
        writer.close()
        assert head.startswith(b"HTTP/1.1 200"), head
        stored = await server.store.read(sessions.get, json.loads(answer)["session_id"])
    assert stored is not None
    assert stored.user_agent == "Mozilla/5.0 Caf\ufffd"
    assert stored.ip == "127.0.0.1"
