"""The swap endpoint's JSON without orjson: the standard library takes what orjson takes, as
the same values, refuses what no column could hold, and writes the same answer bytes."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from callserver.jsonwire import JsonRefused, orjson_loads, stdlib_dumps, stdlib_loads
from tests.web.test_swap_input import BAD, BODIES

REFUSED_BY_BOTH = [
    b"\xff\xfe", b"{", b"\xef\xbb\xbf{}", b"NaN", b"[Infinity]", b"[-Infinity]", b"[1e400]",
    b'"\\ud800"', b'{"\\udfff": 1}', b'["ok", "\\udc00x"]', b"[" * 5_000 + b"]" * 5_000,
]


@pytest.mark.parametrize("body", REFUSED_BY_BOTH)
def test_what_orjson_refuses_the_standard_library_refuses(body: bytes) -> None:
    with pytest.raises(JsonRefused):
        orjson_loads(body)
    with pytest.raises(JsonRefused):
        stdlib_loads(body)


@pytest.mark.parametrize(("body", "reason"), BAD, ids=[r for _, r in BAD])
def test_the_endpoints_bad_bodies_parse_alike(body: bytes, reason: str) -> None:
    assert _outcome(stdlib_loads, body) == _outcome(orjson_loads, body)


@given(BODIES)
def test_any_body_is_taken_alike_and_only_when_storable(body: bytes) -> None:
    taken, value = _outcome(stdlib_loads, body)
    if taken == "taken":  # no lone surrogate anywhere
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    expected = _outcome(orjson_loads, body)
    if expected[0] == "taken":
        assert (taken, value) == expected


ANSWERS = st.dictionaries(
    st.text(max_size=12),
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text()
    | st.lists(st.text(max_size=8), max_size=3),
    max_size=8)


@given(ANSWERS)
def test_answers_are_written_as_orjson_writes_them(answer: dict[str, Any]) -> None:
    try:
        expected = orjson.dumps(answer)
    except orjson.JSONEncodeError:  # a lone surrogate in generated text: never in an answer
        return
    assert stdlib_dumps(answer) == expected


def _outcome(loads: Any, body: bytes) -> tuple[str, Any]:
    try:
        return "taken", loads(body)
    except JsonRefused:
        return "refused", None
