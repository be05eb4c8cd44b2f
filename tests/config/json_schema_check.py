"""The JSON Schema keywords `callserver schema` uses, checked the way an editor's YAML plugin
checks them, so tests can ask "would the editor mark this file?" without a validator package.

A keyword this does not know fails loudly: a schema that grew one must not pass unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description", "default", "examples",
               "format", "then", "else"}  # `then` and `else` are read by `if`
TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,),
    "integer": (int,), "number": (int, float), "null": (type(None),),
}

Errors = list[tuple[str, str]]  # (dotted path, what is wrong)
Schema = dict[str, Any]


def errors(instance: Any, root: Schema) -> Errors:
    """Every place where `instance` breaks `root`; empty when an editor would show nothing."""
    return _errors(instance, root, root, "")


def _errors(value: Any, schema: Schema, root: Schema, path: str) -> Errors:
    found: Errors = []
    for keyword, rule in schema.items():
        if keyword in ANNOTATIONS:
            continue
        if keyword not in _KEYWORDS:
            raise NotImplementedError(f"JSON Schema keyword {keyword!r} at {path or '/'}")
        found += _KEYWORDS[keyword](value, rule, schema, root, path)
    return found


def _ref(value: Any, rule: str, _schema: Schema, root: Schema, path: str) -> Errors:
    return _errors(value, root["$defs"][rule.rsplit("/", 1)[-1]], root, path)


def _any_of(value: Any, rule: list[Schema], _schema: Schema, root: Schema, path: str) -> Errors:
    if all(_errors(value, option, root, path) for option in rule):
        return [(path, "matches no choice of anyOf")]
    return []


def _if(value: Any, rule: Schema, schema: Schema, root: Schema, path: str) -> Errors:
    branch = "else" if _errors(value, rule, root, path) else "then"
    return _errors(value, schema.get(branch, {}), root, path)


def _not(value: Any, rule: Schema, _schema: Schema, root: Schema, path: str) -> Errors:
    return [] if _errors(value, rule, root, path) else [(path, "matches what `not` forbids")]


def _is(value: Any, kind: str) -> bool:
    """JSON's types: a boolean is not a number, though Python's bool is an int."""
    return isinstance(value, TYPES[kind]) and not (kind in ("integer", "number")
                                                   and isinstance(value, bool))


def _type(value: Any, rule: str | list[str], _schema: Schema, _root: Schema,
          path: str) -> Errors:
    kinds = [rule] if isinstance(rule, str) else rule
    return [] if any(_is(value, k) for k in kinds) else [(path, f"not {' or '.join(kinds)}")]


def _properties(value: Any, rule: dict[str, Schema], _schema: Schema, root: Schema,
                path: str) -> Errors:
    if not isinstance(value, dict):
        return []
    return [e for key, sub in rule.items() if key in value
            for e in _errors(value[key], sub, root, _join(path, key))]


def _additional(value: Any, rule: bool | Schema, schema: Schema, root: Schema,
                path: str) -> Errors:
    if not isinstance(value, dict):
        return []
    found: Errors = []
    for key, item in value.items():
        if key in schema.get("properties", {}) or any(
                re.search(p, key) for p in schema.get("patternProperties", {})):
            continue
        if rule is False:
            found.append((_join(path, key), "unknown key"))
        elif isinstance(rule, dict):
            found += _errors(item, rule, root, _join(path, key))
    return found


def _pattern_properties(value: Any, rule: dict[str, Schema], schema: Schema, root: Schema,
                        path: str) -> Errors:
    found: Errors = []
    for key, item in value.items() if isinstance(value, dict) else ():
        matched = [sub for pattern, sub in rule.items() if re.search(pattern, key)]
        if not matched and "additionalProperties" not in schema:
            found.append((_join(path, key), "key matches no pattern"))
        for sub in matched:
            found += _errors(item, sub, root, _join(path, key))
    return found


def _items(value: Any, rule: Schema, _schema: Schema, root: Schema, path: str) -> Errors:
    if not isinstance(value, list):
        return []
    return [e for i, item in enumerate(value) for e in _errors(item, rule, root, f"{path}[{i}]")]


def _property_names(value: Any, rule: Schema, _schema: Schema, root: Schema,
                    path: str) -> Errors:
    keys = value if isinstance(value, dict) else ()
    return [e for key in keys for e in _errors(key, rule, root, _join(path, key))]


def _simple(kind: str, holds: Callable[[Any, Any], bool], message: str) -> Any:
    """A keyword that constrains only values of one JSON type and ignores the others."""
    def check(value: Any, rule: Any, _schema: Schema, _root: Schema, path: str) -> Errors:
        return [] if not _is(value, kind) or holds(value, rule) else [(path, f"{message} {rule}")]

    return check


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_KEYWORDS: dict[str, Any] = {
    "$ref": _ref, "anyOf": _any_of, "if": _if, "not": _not, "type": _type,
    "properties": _properties,
    "additionalProperties": _additional, "patternProperties": _pattern_properties,
    "items": _items, "propertyNames": _property_names,
    "required": _simple("object", lambda v, r: set(r) <= set(v), "needs"),
    "minProperties": _simple("object", lambda v, r: len(v) >= r, "fewer keys than"),
    "minItems": _simple("array", lambda v, r: len(v) >= r, "fewer items than"),
    "pattern": _simple("string", lambda v, r: re.search(r, v) is not None, "does not match"),
    "minLength": _simple("string", lambda v, r: len(v) >= r, "shorter than"),
    "maxLength": _simple("string", lambda v, r: len(v) <= r, "longer than"),
    "minimum": _simple("number", lambda v, r: v >= r, "below"),
    "maximum": _simple("number", lambda v, r: v <= r, "above"),
    "enum": lambda v, r, _s, _r, path: [] if v in r else [(path, f"not one of {r}")],
    "const": lambda v, r, _s, _r, path: [] if v == r else [(path, f"not {r!r}")],
}
