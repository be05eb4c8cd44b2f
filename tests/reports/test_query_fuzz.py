"""Random query strings, made of real parameter names with odd values and of raw junk, are
answered 200 or 400, never 500, by every reporting route and for either kind of token."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reports.conftest import ACME, ADMIN, Api

NAMES = ["from", "to", "campaign", "source", "publisher", "tag", "sub_id", "status",
         "converted", "number", "cursor", "limit", "format", "group"]
ODD_VALUES = ["", "true", "csv", "json", "0", "500", "501", "-1", "tag:", "tag:channel",
              "channel:tv", "2026-03-01", "2026-03-01T00:00:00Z", "9999-12-31T23:59:59-12:00",
              "0001-01-01", "+18005550101", "answered", "hour", "day", "kind", "region",
              "eyJhIjoxfQ", "WyIyMDI2LTAzLTAyVDE0OjAwOjAwLjAwMDAwMFoiLDFd", "%", "\x00", "\ud800"]
values = st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=30))
pairs = st.lists(st.tuples(st.one_of(st.sampled_from(NAMES), st.text(max_size=8)), values),
                 max_size=6)
raw = st.text(alphabet=st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=60)


def encoded(query: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(k, safe='', errors='surrogatepass')}="
                    f"{quote(v, safe='', errors='surrogatepass')}" for k, v in query)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.one_of(pairs.map(encoded), raw.map(lambda t: quote(t, safe="=&%+:"))),
       path=st.sampled_from(["/api/calls", "/api/reports", "/api/calls/a1"]),
       token=st.sampled_from([ADMIN, ACME]), accept_csv=st.booleans())
async def test_random_queries_never_500(api: Api, query: str, path: str, token: str,
                                        accept_csv: bool) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    if accept_csv:
        headers["Accept"] = "text/csv"
    async with api.http.get(f"{api.base}{path}?{query}", headers=headers) as response:
        body = await response.text()
        assert response.status in (200, 400), (response.status, body)
        if response.status == 400:
            assert (await response.json())["error"]
