"""Recorded AMI event streams (Asterisk 18, `timestampevents=yes`), one call each, byte for byte
as the manager sends them: PJSIP inbound calls handed to FastAGI, which dials with `EXEC Dial`.

answered.ami                        sales@pbx rings 7 s, answers, talks 95 s, target hangs up
no_answer_then_failover.ami         sales@pbx rings 20 s unanswered, then the trunk answers
busy.ami                            a SIP buyer's PBX answers busy at once
caller_hangs_up_while_ringing.ami   the caller gives up after 4 s of ringing
simultaneous_second_answers.ami     two targets ring at once, the second answers
trunk_dial.ami                      a number target dialled out through the carrier trunk
"""

from __future__ import annotations

from pathlib import Path

from callserver.asterisk.ami.wire import AmiMessage, AmiParser

HERE = Path(__file__).parent


def load(name: str) -> list[AmiMessage]:
    return AmiParser().feed(HERE.joinpath(name).read_bytes())


def caller_uniqueid(messages: list[AmiMessage]) -> str:
    """The first channel's Uniqueid: the inbound caller, whose call this is."""
    return next(m.get("Uniqueid") for m in messages if m.event == "Newchannel")
