"""Which calls a request asks for: query parameters checked one by one into a `CallFilter`,
each refusal a `BadQuery` that names the parameter. The SQL `WHERE` a filter stands for is in
filter_sql.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, get_args

import pytz

from callserver.config.phone import to_e164
from callserver.config.schema.patterns import TAG_PATTERN
from callserver.store.call_values import CallStatus

REPEATABLE = frozenset({"campaign", "source", "publisher", "sub_id", "number", "status", "tag"})
FILTER_ONCE = frozenset({"from", "to", "converted", "test"})
TestCalls = Literal["exclude", "include", "only"]
TEST_CHOICES: tuple[TestCalls, ...] = get_args(TestCalls)
TAG_KEY = re.compile(TAG_PATTERN)
_STATUSES = frozenset(status.value for status in CallStatus)
FIELD_COLUMNS = (("campaigns", "campaign"), ("sources", "source"), ("publishers", "publisher"),
                 ("sub_ids", "sub_id"), ("numbers", "number"), ("statuses", "status"))


class BadQuery(ValueError):
    """The reason is shown to the client as `{"error": reason}` with status 400."""


@dataclass(frozen=True)
class CallFilter:
    """Calls started in [since, until) matching every field given; `scope` is the publisher a
    publisher's token is confined to (None for the admin)."""

    scope: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    campaigns: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    sub_ids: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    converted: bool | None = None
    test: TestCalls = "exclude"


def collect(pairs: Iterable[tuple[str, str]], once: frozenset[str]) -> dict[str, list[str]]:
    """Query pairs by name; a name not in `once` or REPEATABLE, or repeated when it is in
    `once`, is refused (a misspelt filter must not silently select everything)."""
    params: dict[str, list[str]] = {}
    for name, value in pairs:
        if name not in once and name not in REPEATABLE:
            raise BadQuery(f"{name}: unknown parameter")
        if name in once and name in params:
            raise BadQuery(f"{name}: give it once")
        params.setdefault(name, []).append(value)
    return params


def call_filter(params: Mapping[str, list[str]], timezone: str, scope: str | None) -> CallFilter:
    """The filter the parameters describe; times without an offset are read in `timezone`."""
    zone = pytz.timezone(timezone)
    since, until = (_instant(name, params[name][0], zone) if name in params else None
                    for name in ("from", "to"))
    if since and until and since > until:
        raise BadQuery("from: after to")
    names = {field: tuple(_named(column, v) for v in params.get(column, ()))
             for field, column in FIELD_COLUMNS if column != "number"}
    return CallFilter(
        scope=scope, since=since, until=until, **names,
        numbers=tuple(_number(v) for v in params.get("number", ())),
        tags=tuple(_tag(v) for v in params.get("tag", ())),
        converted=_converted(params["converted"][0]) if "converted" in params else None,
        test=_test(params["test"][0]) if "test" in params else "exclude")


def _instant(name: str, text: str, zone: pytz.BaseTzInfo) -> datetime:
    try:
        at = datetime.fromisoformat(text)
        utc = (zone.localize(at) if at.tzinfo is None else at).astimezone(UTC)
    except (ValueError, OverflowError):
        raise BadQuery(f"{name}: expected ISO-8601, like 2026-03-01 or "
                       "2026-03-01T09:00:00-05:00") from None
    if utc.year < 1000:
        raise BadQuery(f"{name}: year before 1000")
    return utc


def _named(column: str, value: str) -> str:
    if not value:
        raise BadQuery(f"{column}: empty")
    if column == "status" and value not in _STATUSES:
        raise BadQuery(f"status: expected one of {', '.join(CallStatus)}")
    return value


def _number(value: str) -> str:
    try:
        return to_e164(value)
    except ValueError as error:
        raise BadQuery(f"number: {error}") from None


def _tag(value: str) -> tuple[str, str]:
    key, colon, wanted = value.partition(":")
    if not colon or not TAG_KEY.match(key):
        raise BadQuery("tag: expected KEY:VALUE, KEY of letters, digits and '_'")
    return key, wanted


def _converted(value: str) -> bool:
    if value not in ("true", "false"):
        raise BadQuery("converted: expected true or false")
    return value == "true"


def _test(value: str) -> TestCalls:
    for choice in TEST_CHOICES:
        if value == choice:
            return choice
    raise BadQuery(f"test: expected one of {', '.join(TEST_CHOICES)}")
