"""The swap endpoint's JSON: orjson when it is installed, the standard library otherwise.

FIELD-NOTES: orjson adds throughput (a tenth of `json`'s time at the endpoint's size,
bench/swap.py) but is an optional extra, `callserver[fast]`, not a requirement. Either way a
body that gets through holds only storable strings, so the request's fields need no Unicode
check of their own: bad UTF-8, a byte order mark, lone surrogates (`"\\ud800"`), NaN and
infinities are refused with the reason, as orjson refuses them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

try:
    import orjson
except ImportError:
    orjson = None  # type: ignore[assignment]


class JsonRefused(ValueError):
    """Not JSON this server takes; the message says why."""


def stdlib_loads(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
        if text.startswith("\ufeff"):
            raise ValueError("UTF-8 byte order mark (BOM) is not supported")
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
        json.dumps(value, ensure_ascii=False).encode("utf-8")  # a lone surrogate fails here
    except (ValueError, RecursionError) as error:  # decoding errors are ValueErrors too
        raise JsonRefused(str(error)) from None
    return value


def stdlib_dumps(value: Any) -> bytes:
    """The bytes orjson would write for the endpoint's answers: compact, UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def orjson_loads(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise JsonRefused(str(error)) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"number is infinity when parsed as double: {text[:20]}")
    return number


BACKEND = "json" if orjson is None else "orjson"
loads: Callable[[bytes], Any] = stdlib_loads if orjson is None else orjson_loads
dumps: Callable[[Any], bytes] = stdlib_dumps if orjson is None else orjson.dumps
