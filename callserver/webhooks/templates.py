"""Webhook templates: Jinja2 in an immutable sandbox, one environment for check and one for calls.

A call renders with Jinja's lenient `Undefined` (a tag the call lacks renders empty, never an
error in the middle of a call); `callserver check` renders every template against sample
contexts with `StrictUndefined`, so a misspelt token, attribute or filter is a config error
instead. The sandbox refuses `_`-prefixed attributes (`''.__class__` and the like), and the
immutable variant refuses to mutate lists and dicts. `None` renders as an empty string.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import Environment, StrictUndefined, Template, TemplateError, Undefined, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment


def _blank_none(value: Any) -> Any:
    return "" if value is None else value


def _environment(undefined: type[Undefined]) -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(undefined=undefined, finalize=_blank_none,
                                         autoescape=False, keep_trailing_newline=True)


_AT_CALL = _environment(Undefined)
_AT_CHECK = _environment(StrictUndefined)


@lru_cache(maxsize=1024)
def _compiled(text: str, strict: bool) -> Template:
    return (_AT_CHECK if strict else _AT_CALL).from_string(text)


def render(text: str, context: Mapping[str, Any]) -> str:
    """Render for a call; raises TemplateError (or a value error from a filter) if it fails."""
    return _compiled(text, False).render(context)


def problems(text: str, tokens: tuple[str, ...], samples: list[Mapping[str, Any]],
             strict_samples: int) -> list[str]:
    """Why `text` would fail or mislead at call time; the first `strict_samples` of `samples`
    are rendered with StrictUndefined, the rest as a call renders them."""
    try:
        tree = _AT_CHECK.parse(text)
    except TemplateError as exc:
        return [f"template error: {exc.message}"]
    found = [f"template error: unknown token '{name}' (tokens: {', '.join(tokens)})"
             for name in sorted(meta.find_undeclared_variables(tree) - set(tokens))]
    found += _unknown_names(_AT_CHECK, tree)
    if found:
        return found
    for i, sample in enumerate(samples):
        try:
            _compiled(text, i < strict_samples).render(sample)
        except Exception as exc:  # any failure here is the config's error to show
            return [f"template error: {_reason(exc)}"]
    return []


def _unknown_names(env: Environment, tree: nodes.Template) -> list[str]:
    filters = {n.name for n in tree.find_all(nodes.Filter)} - set(env.filters)
    tests = {n.name for n in tree.find_all(nodes.Test)} - set(env.tests)
    return ([f"template error: unknown filter '{name}'" for name in sorted(filters)]
            + [f"template error: unknown test '{name}'" for name in sorted(tests)])


def _reason(exc: Exception) -> str:
    message = exc.message if isinstance(exc, TemplateError) and exc.message else str(exc)
    return message if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {message}"
