"""The tracker's rules one at a time: matching legs to targets, words, AGI hand-over, and
reconciling with a channel listing after AMI was away. Events come from the fake manager's
channel table (realistic fields, no socket and no Timestamp, so times are the given `now`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from callserver.asterisk.ami.wire import AmiMessage
from callserver.asterisk.lifecycle import (
    Adopted,
    CallHungUp,
    Change,
    DialEnded,
    LegHungUp,
    Tracker,
)
from callserver.asterisk.lifecycle.dialstrings import channel_device, dial_device, target_of
from callserver.asterisk.lifecycle.tracker import event_time
from callserver.asterisk.lifecycle.words import cause_word, dial_word, outcome
from tests.peers.ami_channels import ChannelTable, FakeChannel, Fields

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
DIALS = {"PJSIP/sales@pbx": "sales", "PJSIP/+13125550111@carrier": "tvdesk"}


class Pbx:
    """The fake manager's channel table, its events fed to a tracker as they happen."""

    def __init__(self) -> None:
        self.tracker = Tracker()
        self.table = ChannelTable(self._emit)
        self.now = T0
        self.changes: list[Change] = []
        self.away = False

    def _emit(self, event: str, fields: Fields) -> None:
        self.now += timedelta(seconds=1)
        if not self.away:
            message = AmiMessage((("Event", event), ("Privilege", "call,all"), *fields))
            self.changes += self.tracker.feed(message, self.now)

    def call(self, exten: str = "+18005550101") -> FakeChannel:
        caller = self.table.newchannel("PJSIP/carrier-00000001", "+13125550123", exten)
        self.tracker.expect(caller.uniqueid, f"call-{caller.uniqueid}", exten, "spring")
        self.tracker.target_for(caller.uniqueid, DIALS)
        return caller

    def answered(self, caller: FakeChannel) -> FakeChannel:
        agent = self.table.dial_begin(caller, "PJSIP/pbx-00000002", "sales@pbx")
        self.table.dial_end(caller, agent, "ANSWER")
        self.table.bridge_enter(caller, agent)
        return agent

    def reconcile(self) -> tuple[Change, ...]:
        self.away = False
        listing = [AmiMessage((("Event", "CoreShowChannel"), *c.listing()))
                   for c in self.table.live.values()]
        return self.tracker.reconcile(listing, self.now)


@pytest.mark.parametrize(("dial_string", "channel", "target"), [
    ("sales@pbx", "PJSIP/pbx-0000000a", "sales"),  # DialString as app_dial.c publishes it
    ("PJSIP/sales@pbx", "PJSIP/pbx-0000000a", "sales"),  # the whole dial string, as some do
    ("+13125550111@carrier", "PJSIP/carrier-0000abcd", "tvdesk"),
    ("", "PJSIP/carrier-0000abcd", "tvdesk"),  # a listing has no DialString: the endpoint
    ("", "PJSIP/pbx-0000abcd", None),  # two targets behind one endpoint: cannot tell
    ("other@pbx", "PJSIP/elsewhere-0000000b", None),
])
def test_a_leg_is_matched_to_its_target(dial_string: str, channel: str, target: str) -> None:
    dials = DIALS | {"PJSIP/support@pbx": "support"}
    assert target_of(dials, dial_string, channel) == target


def test_devices_are_spelt_as_channel_names_spell_them() -> None:
    assert dial_device("PJSIP/cs-buyer-a/sip:buyer@pbx.example.com") == "pjsip/cs-buyer-a"
    assert dial_device("PJSIP/sales@pbx") == "pjsip/pbx"
    assert dial_device("Local/100@from-internal/n") == "local/100@from-internal"
    assert channel_device("Local/100@from-internal-0000000b;1") == "local/100@from-internal"
    assert channel_device("PJSIP/cs-buyer-a-000001f4") == "pjsip/cs-buyer-a"


def test_asterisk_words_become_ours() -> None:
    assert [dial_word(s) for s in ("ANSWER", "BUSY", "NOANSWER", "CANCEL", "CONGESTION",
                                   "CHANUNAVAIL", "DONTCALL")] == [
        "answered", "busy", "no-answer", "cancel", "failed", "failed", "failed"]
    assert [cause_word(c) for c in (16, 17, 18, 19, 21, 34, 41, None)] == [
        "cancel", "busy", "no-answer", "no-answer", "busy", "failed", "failed", "failed"]
    assert outcome(True, "cancel") == "answered"
    assert [outcome(False, w) for w in ("busy", "no-answer", "failed", "cancel", None)] == [
        "busy", "no-answer", "failed", "abandoned", "abandoned"]


def test_event_time_is_the_timestamp_to_the_microsecond_else_now() -> None:
    def stamped(value: str) -> AmiMessage:
        return AmiMessage((("Event", "Hangup"), ("Timestamp", value)))

    assert event_time(stamped("1718000000.000400"), T0) == datetime(
        2024, 6, 10, 6, 13, 20, 400, tzinfo=UTC)
    assert event_time(stamped("1718000000"), T0) == datetime(2024, 6, 10, 6, 13, 20, tzinfo=UTC)
    assert event_time(stamped("soon"), T0) == T0
    assert event_time(AmiMessage((("Event", "Hangup"),)), T0) == T0


def test_calls_nobody_expected_are_ignored() -> None:
    pbx = Pbx()
    caller = pbx.table.newchannel("PJSIP/carrier-00000001", "+13125550123", "+18005550101")
    agent = pbx.answered(caller)
    pbx.table.hangup(agent)
    pbx.table.hangup(caller)
    assert pbx.changes == []
    assert pbx.tracker.live() == {}


def test_a_hangup_seen_twice_ends_the_call_once() -> None:
    pbx = Pbx()
    caller = pbx.call()
    hangup = AmiMessage((("Event", "Hangup"), *caller.hangup_fields()))

    first = pbx.tracker.feed(hangup, T0)
    again = pbx.tracker.feed(hangup, T0)

    assert [type(c) for c in first] == [CallHungUp]
    assert again == ()


def test_a_hangup_while_the_agi_holds_the_call_is_handed_back_on_release() -> None:
    pbx = Pbx()
    caller = pbx.call()
    pbx.table.hangup(caller, cause=16)
    (held,) = pbx.changes

    assert isinstance(held, CallHungUp) and held.agi_live
    pbx.tracker.expect(caller.uniqueid, "late", "+18005550101", "spring")  # over: ignored
    assert pbx.tracker.live() == {}
    assert pbx.tracker.release(caller.uniqueid) == replace(held, agi_live=False)
    assert pbx.tracker.release(caller.uniqueid) is None


def test_a_call_released_before_its_hangup_is_no_longer_held() -> None:
    pbx = Pbx()
    caller = pbx.call()
    assert pbx.tracker.release(caller.uniqueid) is None
    pbx.table.hangup(caller)
    (hung_up,) = pbx.changes
    assert isinstance(hung_up, CallHungUp) and not hung_up.agi_live
    assert pbx.tracker.release(caller.uniqueid) is None


def test_a_leg_without_dialend_is_judged_by_its_cause() -> None:
    pbx = Pbx()
    caller = pbx.call()
    agent = pbx.table.dial_begin(caller, "PJSIP/pbx-00000002", "sales@pbx")
    pbx.table.hangup(agent, cause=17)  # DialEnd lost
    pbx.table.hangup(caller)

    _, ended, hung_up = pbx.changes
    assert isinstance(ended, DialEnded) and isinstance(hung_up, CallHungUp)
    assert (ended.status, hung_up.outcome) == ("busy", "busy")


def test_calls_gone_while_away_end_with_an_unknown_cause() -> None:
    pbx = Pbx()
    caller = pbx.call()
    agent = pbx.answered(caller)
    answered_at = pbx.changes[1].at
    pbx.away = True
    pbx.table.hangup(agent)
    pbx.table.hangup(caller)

    (ended,) = pbx.reconcile()

    assert ended == CallHungUp(
        call_uniqueid=caller.uniqueid, call_id=f"call-{caller.uniqueid}", at=pbx.now,
        cause=None, cause_txt="", outcome="answered", answered_channel=agent.name,
        answered_target="sales", answered_at=answered_at, ring_seconds=2.0,
        talk_seconds=None, agi_live=True)
    assert pbx.tracker.live() == {}


def test_calls_still_up_are_kept_and_what_changed_while_away_is_taken_in() -> None:
    pbx = Pbx()
    kept = pbx.call()
    agent = pbx.answered(kept)
    ringing = pbx.call("+18005550102")
    late = pbx.table.dial_begin(ringing, "PJSIP/carrier-00000005", "+13125550111@carrier")
    pbx.away = True
    pbx.table.hangup(agent)  # the answered leg of the first call leaves
    pbx.table.dial_end(ringing, late, "ANSWER")  # the second call is answered
    changes = pbx.reconcile()

    assert [(type(c), c.call_uniqueid) for c in changes] == [(LegHungUp, kept.uniqueid)]
    assert pbx.tracker.live() == {"number:+18005550101": 1, "campaign:spring": 2,
                                  "number:+18005550102": 1, "target:tvdesk": 1}
    pbx.table.hangup(late)
    pbx.table.hangup(ringing)
    assert [c.kind for c in pbx.changes[-2:]] == ["leg-hung-up", "hung-up"]
    last = pbx.changes[-1]
    assert isinstance(last, CallHungUp)
    assert (last.outcome, last.answered_target, last.talk_seconds) == ("answered", "tvdesk", None)


def test_a_leg_dialled_while_away_is_found_by_linkedid() -> None:
    pbx = Pbx()
    caller = pbx.call()
    pbx.away = True
    agent = pbx.answered(caller)
    assert pbx.reconcile() == ()
    assert pbx.tracker.live()["target:sales"] == 1  # the only target behind endpoint pbx

    pbx.table.hangup(agent)
    (left,) = pbx.changes
    assert isinstance(left, LegHungUp)
    assert (left.dest_channel, left.target, left.cause) == (agent.name, "sales", 16)


def test_unknown_live_calls_are_adopted_for_the_store_to_name() -> None:
    pbx = Pbx()
    ours = pbx.table.newchannel("PJSIP/carrier-00000001", "+13125550123", "+18005550101")
    agent = pbx.answered(ours)
    stranger = pbx.table.newchannel("PJSIP/office-00000009", "201", "202")
    changes = pbx.reconcile()

    assert changes == (Adopted(ours.uniqueid, None, pbx.now, ours.name),
                       Adopted(stranger.uniqueid, None, pbx.now, stranger.name))
    pbx.tracker.expect(ours.uniqueid, "call-9", "+18005550101", "spring", agi_live=False)
    pbx.tracker.forget(stranger.uniqueid)
    assert pbx.tracker.live() == {"number:+18005550101": 1, "campaign:spring": 1}

    pbx.table.hangup(agent)
    pbx.table.hangup(stranger)
    pbx.table.hangup(ours)
    hung_up = pbx.changes[-1]
    assert [c.kind for c in pbx.changes] == ["leg-hung-up", "hung-up"]
    assert isinstance(hung_up, CallHungUp)
    assert (hung_up.call_id, hung_up.outcome, hung_up.answered_channel, hung_up.agi_live) == (
        "call-9", "answered", agent.name, False)
