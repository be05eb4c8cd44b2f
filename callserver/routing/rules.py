"""Which routing rule applies to a call: the first whose every `when` condition holds."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from callserver.config.schema.routing import Match, Rule
from callserver.routing.context import CallContext, normal_number

_FIELDS: Mapping[str, Callable[[CallContext], str | None]] = {
    "caller": lambda ctx: ctx.caller,
    "number": lambda ctx: ctx.number,
    "digits": lambda ctx: ctx.digits,
    "source": lambda ctx: ctx.source,
    "publisher": lambda ctx: ctx.publisher,
    "sub_id": lambda ctx: ctx.sub_id,
}
_PHONE_FIELDS = frozenset({"caller", "number"})


@dataclass(frozen=True)
class RuleChoice:
    """The index of the rule that applies (None: none does), and why each rule did or not."""

    index: int | None
    reasons: tuple[str, ...]


def choose_rule(rules: Sequence[Rule], ctx: CallContext) -> RuleChoice:
    reasons: list[str] = []
    for index, rule in enumerate(rules):
        failed = next(filter(None, (mismatch(key, match, ctx)
                                    for key, match in rule.when.items())), None)
        if failed is None:
            held = ", ".join(_describe(key, match) for key, match in rule.when.items())
            return RuleChoice(index, (*reasons, f"rule {index} matched: {held}"))
        reasons.append(f"rule {index} not matched: {failed}")
    return RuleChoice(None, (*reasons, "no rule matched"))


def mismatch(key: str, match: Match, ctx: CallContext) -> str | None:
    """Why the condition on `key` fails for this call, or None when it holds."""
    value = value_of(key, ctx)
    if value is None:
        return f"{key} is not set"
    if match.equals is not None and not _equals(key, value, match.equals):
        return f"{key} {value!r} is not {_any_of(match.equals)}"
    if match.regex is not None and re.search(match.regex, value) is None:
        return f"{key} {value!r} does not match /{match.regex}/"
    return None


def value_of(key: str, ctx: CallContext) -> str | None:
    """A call attribute by its `when` name: `tags.NAME`, `caller`, `number`, ..."""
    if key.startswith("tags."):
        return ctx.tags.get(key.removeprefix("tags."))
    if key not in _FIELDS:
        raise ValueError(f"unknown rule condition {key!r}")
    return _FIELDS[key](ctx)


def _equals(key: str, value: str, expected: Sequence[str]) -> bool:
    if key in _PHONE_FIELDS:
        return any(value in (item, _as_phone(item)) for item in expected)
    return value in expected


@lru_cache(maxsize=1024)
def _as_phone(text: str) -> str:
    """A rule's number in any spelling, compared as E.164 like the call's own numbers."""
    return normal_number(text)


def _describe(key: str, match: Match) -> str:
    parts = []
    if match.equals is not None:
        parts.append(f"{key} is {_any_of(match.equals)}")
    if match.regex is not None:
        parts.append(f"{key} matches /{match.regex}/")
    return " and ".join(parts) or f"{key} is set"


def _any_of(values: Sequence[str]) -> str:
    return repr(values[0]) if len(values) == 1 else f"one of {', '.join(map(repr, values))}"
