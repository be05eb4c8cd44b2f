"""Value types shared by the config schema: strict models, names, numbers, regexes, zones."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any

import pytz
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from callserver.config.phone import to_e164
from callserver.config.schema.sip import SIP_PATTERN
from callserver.hours.blocks import parse_block_hours, refuse_overlaps
from callserver.hours.intervals import Interval


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


@dataclass(frozen=True)
class InputSchema:
    """Widens a field's JSON Schema to what its before-validator accepts, not only what it
    produces: an editor checking a file against `callserver schema` must allow every shorthand
    the loader allows (`open: {mon: "09:00-17:00"}`, `on: call.completed`, `tags: {n: 5}`)."""

    widen: Callable[[JsonSchemaValue], JsonSchemaValue]

    def __get_pydantic_json_schema__(self, core: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return self.widen(handler(core))


def _either(*options: JsonSchemaValue) -> JsonSchemaValue:
    """`anyOf` the options, with the description kept on the whole rather than on one branch."""
    notes = {k: v for o in options for k, v in o.items() if k in ("description", "examples")}
    bare = [{k: v for k, v in o.items() if k not in notes} for o in options]
    return {"anyOf": bare, **notes}


SCALARS: tuple[JsonSchemaValue, ...] = ({"type": "string"}, {"type": "number"},
                                        {"type": "boolean"})
ONE_OR_LIST = InputSchema(lambda schema: _either(schema["items"], schema))
OR_SCALARS = InputSchema(lambda schema: _either(
    *SCALARS, {"type": "array", "items": {"anyOf": list(SCALARS)}}, schema))


NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
ENV_PATTERN = r"^[A-Z_][A-Z0-9_]*$"
TAG_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
DIGIT_PATTERN = r"^[0-9*#]$"
DIGITS_PATTERN = r"^[0-9*#]*$"
IVR_PATH_PATTERN = r"^[0-9*#]( [0-9*#])*$"
WHEN_PATTERN = r"^(tags\.[A-Za-z_][A-Za-z0-9_]*|caller|number|digits|source|publisher|sub_id)$"
GA4_PATTERN = r"^G-[A-Z0-9]+$"
DOMAIN_PATTERN = r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$"
PARAM_PATTERN = r"^[A-Za-z0-9_.\[\]-]{1,64}$"
CAPTURE_PATTERN = r"^(tags\.[A-Za-z_][A-Za-z0-9_]*|sub_id|publisher)$"
TRUNK_PATTERN = r"\{number\}"
HOSTPORT_PATTERN = r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$"

# What each pattern asks for, in words, for the error message when a value does not fit.
PATTERN_HINTS: dict[str, str] = {
    NAME_PATTERN: "expected a name of letters, digits, '_', '-' or '.'",
    ENV_PATTERN: "expected the NAME of an environment variable (A-Z, 0-9, _), never the "
                 "secret itself",
    TAG_PATTERN: "expected a tag name of letters, digits and '_'",
    DIGIT_PATTERN: "expected one key: 0-9, * or #",
    DIGITS_PATTERN: "expected keys 0-9, * and #",
    IVR_PATH_PATTERN: 'expected one key per menu level, apart by spaces, like "1" or "2 3"',
    WHEN_PATTERN: "expected tags.NAME, caller, number, digits, source, publisher or sub_id",
    GA4_PATTERN: "expected a GA4 measurement id like G-ABC123",
    DOMAIN_PATTERN: "expected a lower-case domain like example.com",
    PARAM_PATTERN: "expected a URL parameter name of letters, digits, '_', '-', '.' or []",
    CAPTURE_PATTERN: "expected tags.NAME, sub_id or publisher",
    SIP_PATTERN: "expected a SIP URI like sip:user@pbx.example.com",
    TRUNK_PATTERN: "expected a dial string containing {number}, like PJSIP/{number}@carrier",
    HOSTPORT_PATTERN: "expected HOST:PORT, like pbx.example.com:5060",
}

Phone = Annotated[str, BeforeValidator(_phone),
                  InputSchema(lambda schema: {**_either(schema, {"type": "integer"}),
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
            Annotated[str, BeforeValidator(_tag_value), InputSchema(lambda _: _either(*SCALARS))]]


def _block_hours(value: str) -> str:
    return str(parse_block_hours(value))


class CapBlock(Strict):
    """A block of the day with its own limit, in the scope's time zone, as day caps are."""

    hours: Annotated[str, AfterValidator(_block_hours)] = Field(
        description='One range, e.g. "09:00-12:00" or "22:00-06:00" (runs past midnight).')
    calls: int = Field(ge=0, description="Calls that may start in each day's occurrence.")

    @cached_property
    def interval(self) -> Interval:
        return parse_block_hours(self.hours)


def _no_overlaps(blocks: list[CapBlock]) -> list[CapBlock]:
    refuse_overlaps([block.interval for block in blocks])
    return blocks


class Caps(Strict):
    """Call limits; a call over any limit is refused with the `capped` outcome."""

    hour: int | None = Field(None, ge=0, description="Calls per clock hour.")
    day: int | None = Field(None, ge=0, description="Calls per local day.")
    month: int | None = Field(None, ge=0, description="Calls per local calendar month.")
    concurrency: int | None = Field(None, ge=0, description="Calls in progress at once.")
    blocks: Annotated[list[CapBlock], AfterValidator(_no_overlaps)] = Field(
        default_factory=list,
        description="Blocks of the day, each limiting the calls that start while the clock is "
                    "inside it (counted from the block's start); outside every block, blocks "
                    "do not limit. Blocks may not overlap.")
