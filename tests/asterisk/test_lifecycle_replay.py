"""The tracker replaying recorded AMI transcripts: pure, no socket, times from the events."""

from __future__ import annotations

from datetime import UTC, datetime

from callserver.asterisk.lifecycle import (
    Answered,
    Bridged,
    CallHungUp,
    Change,
    DialEnded,
    LegHungUp,
    Ringing,
    Tracker,
)
from callserver.asterisk.lifecycle.tracker import event_time
from tests.asterisk.lifecycle_transcripts import caller_uniqueid, load

NOW = datetime(2026, 3, 2, 15, 4, 5, tzinfo=UTC)  # only used by events without a Timestamp
DIALS = {
    "PJSIP/sales@pbx": "sales",
    "PJSIP/+13125550111@carrier": "tvdesk",
    "PJSIP/cs-buyer-a/sip:buyer@pbx.example.com": "buyer",
}
NUMBER, CAMPAIGN = {"number:+18005550101": 1}, {"campaign:spring": 1}


def replay(name: str) -> tuple[Tracker, list[Change], list[dict[str, int]]]:
    """Feed a transcript as the AGI side would have announced it; returns the changes and
    each distinct live() picture in order."""
    messages = load(name)
    tracker = Tracker()
    uniqueid = caller_uniqueid(messages)
    tracker.expect(uniqueid, "call-1", "+18005550101", "spring")
    tracker.target_for(uniqueid, DIALS)
    changes: list[Change] = []
    pictures = [dict(tracker.live())]
    for message in messages:
        changes += tracker.feed(message, NOW)
        if dict(tracker.live()) != pictures[-1]:
            pictures.append(dict(tracker.live()))
    return tracker, changes, pictures


def summary(change: Change) -> tuple[object, ...]:
    """The facts a test cares about, seconds to a tenth (the transcripts' resolution)."""
    def tenths(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    match change:
        case Ringing() | Bridged():
            return change.kind, change.target
        case Answered():
            return change.kind, change.target, tenths(change.ring_seconds)
        case DialEnded():
            return change.kind, change.target, change.status
        case LegHungUp():
            return change.kind, change.target, change.cause
        case CallHungUp():
            return (change.kind, change.outcome, change.cause, change.answered_target,
                    tenths(change.ring_seconds), tenths(change.talk_seconds))
    raise AssertionError(change)


def at(name: str, event: str, nth: int = 0) -> datetime:
    matching = [m for m in load(name) if m.event == event]
    return event_time(matching[nth], NOW)


def seconds(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds()


def test_answered_call() -> None:
    _, changes, pictures = replay("answered.ami")

    assert [summary(c) for c in changes] == [
        ("ringing", "sales"),
        ("answered", "sales", 7.0),
        ("bridged", "sales"),
        ("leg-hung-up", "sales", 16),
        ("hung-up", "answered", 16, "sales", 7.0, 95.0),
    ]
    assert changes[-1] == CallHungUp(
        call_uniqueid="1718000000.101",
        call_id="call-1",
        at=at("answered.ami", "Hangup", 1),
        cause=16,
        cause_txt="Normal Clearing",
        outcome="answered",
        answered_channel="PJSIP/pbx-00000066",
        answered_target="sales",
        answered_at=at("answered.ami", "DialEnd"),
        ring_seconds=seconds(at("answered.ami", "DialBegin"), at("answered.ami", "DialEnd")),
        talk_seconds=seconds(at("answered.ami", "DialEnd"), at("answered.ami", "Hangup")),
        agi_live=True,
    )
    assert pictures == [NUMBER | CAMPAIGN, NUMBER | CAMPAIGN | {"target:sales": 1},
                        NUMBER | CAMPAIGN, {}]


def test_no_answer_then_failover_to_the_trunk() -> None:
    _, changes, pictures = replay("no_answer_then_failover.ami")

    assert [summary(c) for c in changes] == [
        ("ringing", "sales"),
        ("dial-ended", "sales", "no-answer"),
        ("ringing", "tvdesk"),
        ("answered", "tvdesk", 8.0),
        ("bridged", "tvdesk"),
        ("leg-hung-up", "tvdesk", 16),
        ("hung-up", "answered", 16, "tvdesk", 28.1, 60.0),
    ]
    assert pictures == [NUMBER | CAMPAIGN, NUMBER | CAMPAIGN | {"target:tvdesk": 1},
                        NUMBER | CAMPAIGN, {}]


def test_busy() -> None:
    _, changes, pictures = replay("busy.ami")

    assert [summary(c) for c in changes] == [
        ("ringing", "buyer"),
        ("dial-ended", "buyer", "busy"),
        ("hung-up", "busy", 16, None, 0.6, None),
    ]
    assert pictures == [NUMBER | CAMPAIGN, {}]


def test_caller_hangs_up_while_ringing_is_abandoned() -> None:
    _, changes, _ = replay("caller_hangs_up_while_ringing.ami")

    assert [summary(c) for c in changes] == [
        ("ringing", "sales"),
        ("dial-ended", "sales", "cancel"),
        ("hung-up", "abandoned", 16, None, 4.0, None),
    ]


def test_simultaneous_ring_where_the_second_answers() -> None:
    _, changes, pictures = replay("simultaneous_second_answers.ami")

    assert [summary(c) for c in changes] == [
        ("ringing", "sales"),
        ("ringing", "buyer"),
        ("answered", "buyer", 5.0),
        ("dial-ended", "sales", "cancel"),
        ("bridged", "buyer"),
        ("leg-hung-up", "buyer", 16),
        ("hung-up", "answered", 16, "buyer", 5.0, 42.0),
    ]
    assert pictures == [NUMBER | CAMPAIGN, NUMBER | CAMPAIGN | {"target:buyer": 1},
                        NUMBER | CAMPAIGN, {}]


def test_trunk_dial_is_matched_by_dial_string_not_channel_name() -> None:
    _, changes, _ = replay("trunk_dial.ami")

    ringing = changes[0]
    assert isinstance(ringing, Ringing)
    assert (ringing.dest_channel, ringing.target) == ("PJSIP/carrier-0000025a", "tvdesk")
    assert summary(changes[-1]) == ("hung-up", "answered", 16, "tvdesk", 12.0, 120.0)
