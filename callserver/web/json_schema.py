"""The building blocks the OpenAPI document's JSON Schemas (3.1 dialect) are written with, so
the schemas of every area and the operations that refer to them say a type the same way.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]
STRING: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
NUMBER: Schema = {"type": "number"}
INSTANT: Schema = {"type": "string", "format": "date-time"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Schema], *, optional: tuple[str, ...] = (),
        extra: bool | Schema = False) -> Schema:
    """An object with every property required except `optional`; `extra` decides whether
    properties not listed may appear (no, unless said)."""
    return {"type": "object", "properties": properties,
            "required": [name for name in properties if name not in optional],
            "additionalProperties": extra}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


STRINGS: Schema = {"type": "object", "additionalProperties": STRING}
