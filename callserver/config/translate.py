"""Turn pydantic's validation errors into `FILE:LINE: path: message` a person can act on."""

from __future__ import annotations

import types
import typing
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from callserver.config.errors import ConfigIssue, Path, did_you_mean, dotted
from callserver.config.schema.patterns import PATTERN_HINTS
from callserver.config.yamlsource import LineMap

INHERITABLE = ("routing", "prompts", "conversion", "webhooks")

_PLAIN = {
    "missing": "required field is missing",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "float_parsing": "expected a number",
    "bool_parsing": "expected true or false",
    "string_type": "expected text",
    "dict_type": "expected a mapping (key: value)",
    "list_type": "expected a list",
    "model_type": "expected a mapping (key: value)",
    "date_from_datetime_parsing": "expected a date (YYYY-MM-DD)",
    "date_parsing": "expected a date (YYYY-MM-DD)",
    "date_type": "expected a date (YYYY-MM-DD)",
}


def issues_from(exc: ValidationError, root: type[BaseModel], filename: str,
                lines: LineMap) -> list[ConfigIssue]:
    """One issue per distinct place; the first message for a place wins."""
    seen: dict[Path, ConfigIssue] = {}
    for error in exc.errors(include_url=False):
        path = clean_loc(error["loc"])
        if path in seen:
            continue
        kind = error["type"]
        message = _message(error, path, root)
        line = lines.line(path, key=kind == "extra_forbidden")
        seen[path] = ConfigIssue(filename, line, dotted(path), message)
    return list(seen.values())


def clean_loc(loc: tuple[Any, ...]) -> Path:
    """Drop pydantic's markers for dict keys and union branches."""
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith(("[", "function-"))))


class _Hidden:
    """What a `*_env` field (or an entry of one, `headers_env: {Name: VAR}`) holds instead of a
    variable's name may be the secret itself, and the message reaches the terminal, the log and
    the reload API's answer: never shown."""

    def __repr__(self) -> str:
        return "a value not shown (it may be a secret)"


def _message(error: Any, path: Path, root: type[BaseModel]) -> str:
    if any(str(part).endswith("_env") for part in path[-2:]):
        error = {**error, "input": _Hidden()}
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(path[-1])
        if len(path) >= 2 and path[-2] == "unlock":
            hint = "; its own menu goes under unlock.routing.ivr" if key == "ivr" else ""
            return (f"'{key}' cannot be unlocked; a number unlocks only "
                    f"{', '.join(INHERITABLE)}{hint}")
        allowed = _fields_at(root, path[:-1])
        return f"unknown key '{key}'{did_you_mean(key, allowed)}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "literal_error":
        return f"expected {error['ctx']['expected']}, got {_shown(error['input'])}"
    if kind == "string_pattern_mismatch":
        hint = PATTERN_HINTS.get(error["ctx"]["pattern"], "does not have the expected form")
        return f"{hint}, got {_shown(error['input'])}"
    if kind in _BOUNDS:
        return f"{_BOUNDS[kind]} {_bound(error['ctx'])}, got {_shown(error['input'])}"
    if kind == "url_parsing":
        return f"expected a URL like https://www.example.com, got {_shown(error['input'])}"
    text = _PLAIN.get(kind) or error["msg"][0].lower() + error["msg"][1:]
    if kind != "missing" and not isinstance(error["input"], dict | list):
        text += f", got {_shown(error['input'])}"
    return text


_BOUNDS = {
    "greater_than_equal": "must be at least",
    "greater_than": "must be more than",
    "less_than_equal": "must be at most",
    "less_than": "must be less than",
    "too_short": "needs at least",
    "too_long": "takes at most",
}


def _bound(ctx: dict[str, Any]) -> str:
    for key in ("ge", "gt", "le", "lt"):
        if key in ctx:
            return str(ctx[key])
    count = ctx.get("min_length", ctx.get("max_length"))
    return f"{count} item{'s' * (count != 1)}"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fields_at(root: type[BaseModel], path: Path) -> list[str]:
    """The keys a mapping at `path` may have, found by walking the model's annotations."""
    current: Any = root
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return []
            current = field.annotation
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        elif typing.get_origin(current) is list:
            current = typing.get_args(current)[0]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional to reach the type that holds the fields."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = options[0]
        else:
            return tp
