"""Value types shared by the config schema: strict models, names, phone numbers, regexes,
zones, tags. Their patterns are in patterns.py, the JSON Schema widening in input_schema.py.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import pytz
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from callserver.config.phone import to_e164
from callserver.config.schema.input_schema import SCALARS, InputSchema, either
from callserver.config.schema.patterns import ENV_PATTERN, NAME_PATTERN, TAG_PATTERN


class Strict(BaseModel):
    """Every config model: immutable, and an unknown key is an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _phone(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("expected a phone number, e.g. \"+1 800 555 0100\"")
    return to_e164(value)


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"bad regular expression {value!r}: {exc}") from None
    return value


def _timezone(value: str) -> str:
    if value not in pytz.all_timezones_set:
        raise ValueError(f"unknown timezone {value!r}; use an IANA name like America/New_York")
    return value


def as_list(value: Any) -> Any:
    """Accept a single item wherever a list is expected."""
    return [value] if isinstance(value, str | int | float) else value


Phone = Annotated[str, BeforeValidator(_phone),
                  InputSchema(lambda schema: {**either(schema, {"type": "integer"}),
                                              "format": "phone"}),
                  Field(description="A phone number in any common spelling; stored as E.164.",
                        json_schema_extra={"examples": ["+18005550100", "(800) 555-0100"]})]
Regex = Annotated[str, AfterValidator(_regex),
                  Field(description="A regular expression (Python syntax), searched anywhere.")]
TimeZone = Annotated[str, AfterValidator(_timezone),
                     Field(description="An IANA time zone name, e.g. America/New_York.")]
Name = Annotated[str, Field(pattern=NAME_PATTERN)]
EnvName = Annotated[str, Field(pattern=ENV_PATTERN,
                               description="Name of an environment variable holding a secret.")]
Seconds = Annotated[int, Field(ge=1, le=86_400)]


def _tag_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str | int | float):
        raise ValueError("a tag value must be a string or a number")
    return str(value)


Tags = dict[Annotated[str, Field(pattern=TAG_PATTERN)],
            Annotated[str, BeforeValidator(_tag_value), InputSchema(lambda _: either(*SCALARS))]]
