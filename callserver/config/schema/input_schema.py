"""Widening a field's JSON Schema to the shorthands its before-validator accepts, so the
schema `callserver schema` prints allows every spelling the loader does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema


@dataclass(frozen=True)
class InputSchema:
    """Widens a field's JSON Schema to what its before-validator accepts, not only what it
    produces: an editor checking a file against `callserver schema` must allow every shorthand
    the loader allows (`open: {mon: "09:00-17:00"}`, `on: call.completed`, `tags: {n: 5}`)."""

    widen: Callable[[JsonSchemaValue], JsonSchemaValue]

    def __get_pydantic_json_schema__(self, core: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return self.widen(handler(core))


def either(*options: JsonSchemaValue) -> JsonSchemaValue:
    """`anyOf` the options, with the description kept on the whole rather than on one branch."""
    notes = {k: v for o in options for k, v in o.items() if k in ("description", "examples")}
    bare = [{k: v for k, v in o.items() if k not in notes} for o in options]
    return {"anyOf": bare, **notes}


SCALARS: tuple[JsonSchemaValue, ...] = ({"type": "string"}, {"type": "number"},
                                        {"type": "boolean"})
ONE_OR_LIST = InputSchema(lambda schema: either(schema["items"], schema))
OR_SCALARS = InputSchema(lambda schema: either(
    *SCALARS, {"type": "array", "items": {"anyOf": list(SCALARS)}}, schema))
