"""ActionID correlation: plain answers, list answers, late and foreign messages."""

from __future__ import annotations

from callserver.asterisk.ami.correlate import AmiResponse, Completed, Correlator
from callserver.asterisk.ami.wire import AmiMessage


def msg(*pairs: tuple[str, str]) -> AmiMessage:
    return AmiMessage(tuple(pairs))


def test_a_plain_answer_completes_its_action() -> None:
    correlator = Correlator()
    correlator.expect("1")
    pong = msg(("Response", "Success"), ("ActionID", "1"), ("Ping", "Pong"))

    assert correlator.feed(pong) == Completed("1", AmiResponse(pong))
    assert correlator.feed(pong) == "unclaimed"  # answered once only


def test_a_list_collects_its_events_until_complete() -> None:
    correlator = Correlator()
    correlator.expect("2")
    head = msg(("Response", "Success"), ("ActionID", "2"), ("EventList", "start"))
    item = msg(("Event", "CoreShowChannel"), ("ActionID", "2"), ("Uniqueid", "1.1"))
    done = msg(("Event", "CoreShowChannelsComplete"), ("ActionID", "2"), ("EventList", "Complete"))

    outcomes = [correlator.feed(m) for m in (head, item, item, done)]

    assert outcomes == [
        "partial",
        "partial",
        "partial",
        Completed("2", AmiResponse(head, (item, item))),
    ]


def test_a_refused_list_action_completes_at_once() -> None:
    correlator = Correlator()
    correlator.expect("3")
    refused = msg(("Response", "Error"), ("ActionID", "3"), ("Message", "Permission denied"))

    outcome = correlator.feed(refused)

    assert isinstance(outcome, Completed)
    assert not outcome.answer.ok
    assert outcome.answer.message == "Permission denied"


def test_events_without_a_waiting_action_are_left_to_the_event_handler() -> None:
    correlator = Correlator()
    correlator.expect("4")
    originated = msg(("Event", "OriginateResponse"), ("ActionID", "4"), ("Response", "Success"))
    plain = msg(("Event", "Newchannel"), ("Uniqueid", "1.1"))

    assert correlator.feed(plain) == "unclaimed"
    assert correlator.feed(msg(("Response", "Success"), ("ActionID", "4"))) != "unclaimed"
    assert correlator.feed(originated) == "unclaimed"


def test_a_forgotten_action_leaves_its_late_answer_unclaimed() -> None:
    correlator = Correlator()
    correlator.expect("5")
    correlator.feed(msg(("Response", "Success"), ("ActionID", "5"), ("EventList", "start")))
    correlator.forget("5")

    late = msg(("Event", "CoreShowChannelsComplete"), ("ActionID", "5"), ("EventList", "Complete"))
    assert correlator.feed(late) == "unclaimed"
