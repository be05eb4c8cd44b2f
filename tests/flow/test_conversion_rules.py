"""What counts as converted (seed 002): talk time, the answering target, the IVR choice, tags,
and pay-per-call's duplicate rule, decided without the store (which only says whether the
caller called before: tests/asterisk/test_conversion_repeat.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from callserver.config.schema.routing import Conversion
from callserver.conversion import Facts, converts, repeat_since

NOW = datetime(2026, 3, 2, 15, 4, 5, tzinfo=UTC)
ANSWERED = Facts(True, 95.0, "sales", ("1", "3"), {"intent": "buy", "channel": "tv"})


@pytest.mark.parametrize(("rule", "expected"), [
    ({}, True),
    ({"min_duration": 90}, True),
    ({"min_duration": 120}, False),
    ({"targets": ["support", "sales"]}, True),
    ({"targets": ["support"]}, False),
    ({"ivr": ["1"]}, True),
    ({"ivr": ["1 3"]}, True),
    ({"ivr": ["2", "1 4"]}, False),
    ({"tags": {"intent": "buy"}}, True),
    ({"tags": {"intent": "buy", "channel": "radio"}}, False),
])
def test_every_condition_given_must_hold(rule: dict[str, object], expected: bool) -> None:
    assert converts(Conversion.model_validate(rule), ANSWERED) is expected


def test_an_unanswered_call_never_converts() -> None:
    missed = Facts(False, 0.0, None, (), {})
    assert not converts(Conversion(), missed)


def test_a_withheld_caller_id_is_never_a_repeat() -> None:
    rule = Conversion(repeat_within_days=30)
    assert repeat_since(rule, "+13125550123", NOW) == NOW - timedelta(days=30)
    assert repeat_since(rule, "Anonymous", NOW) is None
    assert repeat_since(Conversion(), "+13125550123", NOW) is None
