"""AMI framing and action encoding, without a socket: units and a recorded session replayed."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callserver.asterisk.ami.correlate import Completed, Correlator
from callserver.asterisk.ami.errors import AmiProtocolError
from callserver.asterisk.ami.wire import AmiMessage, AmiParser, encode_action, parse_banner

CHANNEL = (
    b"Channel: PJSIP/carrier-00000001\r\nChannelState: 4\r\nChannelStateDesc: Ring\r\n"
    b"CallerIDNum: +13125550123\r\nCallerIDName: Jos\xc3\xa9 N\xc3\xba\xc3\xb1ez\r\n"
    b"ConnectedLineNum: <unknown>\r\nConnectedLineName: <unknown>\r\nLanguage: en\r\n"
    b"AccountCode: \r\nContext: from-trunk\r\nExten: +18005550101\r\nPriority: 1\r\n"
    b"Uniqueid: 1718000000.1\r\nLinkedid: 1718000000.1\r\n"
)
# One session as Asterisk writes it (main/manager.c), our actions left out.
TRANSCRIPT = (
    b"Asterisk Call Manager/5.0.1\r\n"
    b"Response: Success\r\nActionID: cs-1\r\nMessage: Authentication accepted\r\n\r\n"
    b"Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 42\r\nLastReload: 42\r\n"
    b"Status: Fully Booted\r\n\r\n"
    b"Response: Success\r\nActionID: cs-2\r\nEventList: start\r\n"
    b"Message: Channels will follow\r\n\r\n"
    b"Event: Newchannel\r\nPrivilege: call,all\r\n" + CHANNEL + b"\r\n"
    b"Event: CoreShowChannel\r\nActionID: cs-2\r\n" + CHANNEL + b"Application: AGI\r\n"
    b"ApplicationData: agi://127.0.0.1:4573/inbound\r\nDuration: 00:00:03\r\nBridgeId: \r\n\r\n"
    b"Event: CoreShowChannelsComplete\r\nActionID: cs-2\r\nEventList: Complete\r\n"
    b"ListItems: 1\r\n\r\n"
    b"Response: Success\r\nActionID: cs-3\r\nPing: Pong\r\nTimestamp: 1718000003.123456\r\n\r\n"
    b"Event: Hangup\r\nPrivilege: call,all\r\n" + CHANNEL + b"Cause: 16\r\n"
    b"Cause-txt: Normal Clearing\r\n\r\n"
)
BANNER, _, SESSION = TRANSCRIPT.partition(b"\r\n")


def replay(chunks: list[bytes]) -> list[AmiMessage]:
    parser = AmiParser()
    return [message for chunk in chunks for message in parser.feed(chunk)]


def test_the_recorded_session_parses_in_order() -> None:
    messages = replay([SESSION])

    assert parse_banner(BANNER + b"\r\n") == "5.0.1"
    kinds = [m.event or f"Response {m.action_id}" for m in messages]
    assert kinds == [
        "Response cs-1",
        "FullyBooted",
        "Response cs-2",
        "Newchannel",
        "CoreShowChannel",
        "CoreShowChannelsComplete",
        "Response cs-3",
        "Hangup",
    ]
    hangup = messages[-1]
    assert hangup.get("CallerIDName") == "José Núñez"
    assert hangup.get("Cause-txt") == "Normal Clearing"
    assert hangup.get("Linkedid") == "1718000000.1"
    assert ("AccountCode", "") in hangup.headers
    assert messages[-2].get("Ping") == "Pong"


@given(st.lists(st.integers(min_value=0, max_value=len(SESSION)), max_size=40))
def test_any_read_boundaries_give_the_same_messages(cuts: list[int]) -> None:
    edges = [0, *sorted(cuts), len(SESSION)]
    chunks = [SESSION[a:b] for a, b in itertools.pairwise(edges)]

    assert replay(chunks) == replay([SESSION])


def test_the_recorded_list_answer_is_correlated_by_action_id() -> None:
    correlator = Correlator()
    correlator.expect("cs-2")

    outcomes = [correlator.feed(m) for m in replay([SESSION])]

    done = [o for o in outcomes if isinstance(o, Completed)]
    assert [d.action_id for d in done] == ["cs-2"]
    assert [e.event for e in done[0].answer.events] == ["CoreShowChannel"]
    assert done[0].answer.ok
    assert outcomes.count("partial") == 2
    assert outcomes[3] == "unclaimed"  # the Newchannel that arrived mid-list is an event


def test_message_lookup_is_case_insensitive_and_keeps_repeats() -> None:
    (message,) = replay([b"Response: Success\r\nOutput: a\r\noutput: b\r\nMessage: x:y\r\n\r\n"])

    assert message.get("OUTPUT") == "a"
    assert message.get_all("Output") == ("a", "b")
    assert message.get("Message") == "x:y"
    assert message.get("Missing", "none") == "none"
    assert message.as_dict() == {
        "Response": "Success",
        "Output": "a",
        "output": "b",
        "Message": "x:y",
    }
    assert message.response == "Success"
    assert message.event is None
    assert message.action_id is None


def test_bare_newlines_blank_line_runs_and_body_lines_are_tolerated() -> None:
    data = b"\r\n\r\nResponse: Follows\nActionID: 7\nuptime 3 days\n--END COMMAND--\n\n"

    (message,) = replay([data])

    assert message.action_id == "7"
    assert message.get_all("") == ("uptime 3 days", "--END COMMAND--")


def test_a_message_without_end_is_refused_past_the_limit() -> None:
    parser = AmiParser(max_message_bytes=64)
    parser.feed(b"Event: VarSet\r\n")

    with pytest.raises(AmiProtocolError, match="longer than 64 bytes"):
        parser.feed(b"Value: " + b"x" * 64)


@pytest.mark.parametrize(
    "line",
    [b"HTTP/1.1 400 Bad Request\r\n", b"Asterisk Call Manager/5.0.1", b""],
)
def test_anything_but_the_banner_is_not_ami(line: bytes) -> None:
    with pytest.raises(AmiProtocolError, match="no AMI banner"):
        parse_banner(line)


def test_actions_are_encoded_with_their_action_id_and_repeated_keys() -> None:
    payload = encode_action(
        "Originate",
        "cs-9",
        {"Channel": "PJSIP/sales", "Timeout": 30000, "Variable": ["A=1", "B=2"]},
    )

    assert payload == (
        b"Action: Originate\r\nActionID: cs-9\r\nChannel: PJSIP/sales\r\nTimeout: 30000\r\n"
        b"Variable: A=1\r\nVariable: B=2\r\n\r\n"
    )
    assert encode_action("Ping", "cs-10", {}) == b"Action: Ping\r\nActionID: cs-10\r\n\r\n"


@pytest.mark.parametrize(
    "fields",
    [
        {"CallerID": "+1312\r\nAction: Originate"},
        {"Variable": ["A=1", "B=\n2"]},
        {"Bad:Key": "x"},
        {"": "x"},
        {"actionid": "mine"},
    ],
)
def test_fields_that_would_break_the_framing_are_refused(fields: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        encode_action("Setvar", "cs-11", fields)
