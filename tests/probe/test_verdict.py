"""Judging a test call from what the caller saw and the call's record (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from callserver.probe.observation import Observation, Timing
from callserver.probe.verdict import Spec, judge, verdict_json
from callserver.store.call_values import Call, CallEnd, CallStatus

AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
NUMBER = "+18005550101"
HEARD = Observation(NUMBER, AT, AT + timedelta(seconds=4), answer_s=0.1, first_audio_s=0.5,
                    audio_frames=10, digits_sent="2")


def record(status: CallStatus | None, attempts: list[list[str]],
           answered: str | None = None) -> Call:
    trace = {"attempts": [{"targets": t} for t in attempts], "reason": "why"}
    end = None if status is None else CallEnd(status, AT + timedelta(seconds=4),
                                               answered_target=answered)
    return Call("c1", AT, NUMBER, "+13125550000", campaign="spring", trace=trace,
                ivr_path=("2",), end=end)


def test_a_target_is_reached_when_dialled_even_if_nobody_picked_up() -> None:
    call = record(CallStatus.ABANDONED, [["dispatch"], ["overflow"]])
    verdict = judge(Spec(NUMBER, "2", "overflow"), HEARD, call, Timing())
    assert verdict.ok and verdict.routing is not None
    assert verdict.routing.dialled == ("dispatch", "overflow")


def test_every_problem_is_named() -> None:
    deaf = Observation(NUMBER, AT, AT, answer_s=0.1)
    verdict = judge(Spec(NUMBER, expect_target="sales"), deaf, record(None, [["dispatch"]]),
                    Timing(audio_s=3, record_s=10))
    assert verdict.problems == ("no audio within 3s of the answer",
                                "the call record is still in progress 10s after hang-up",
                                "did not reach sales (dialled dispatch)")


def test_an_unanswered_call_needs_no_record_but_fails_on_its_own_account() -> None:
    refused = Observation(NUMBER, AT, AT, failure="refused or ended before answer")
    verdict = judge(Spec(NUMBER), refused, None, Timing())
    assert verdict.problems == ("refused or ended before answer",)
    assert verdict_json(verdict)["routing"] is None


def test_the_json_form_is_plain_values() -> None:
    verdict = judge(Spec(NUMBER), HEARD, record(CallStatus.ANSWERED, [["dispatch"]],
                                                 "dispatch"), Timing())
    data = verdict_json(verdict)
    assert data["call"]["placed_at"] == "2026-12-03T12:00:00Z" and data["call"]["answered"]
    assert data["routing"]["ivr_path"] == ["2"] and data["routing"]["status"] == "answered"
