"""A call's row from what the number and the flow say: the same for a real call and a
simulated one, so `simulate --record` writes exactly what Asterisk would have caused."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.conversion import Facts, converts
from callserver.flow_trace import CallResult
from callserver.store.call_values import Call, CallEnd, CallStatus


def opened(call_id: str, view: NumberView, caller: str, now: datetime, *,
           uniqueid: str | None = None, linkedid: str | None = None,
           session_id: str | None = None, node: str | None = None) -> Call:
    """The row written before anything is dialled, by `node` when several share a store."""
    return Call(id=call_id, started_at=now, number=view.number, caller=caller,
                uniqueid=uniqueid, linkedid=linkedid, campaign=view.campaign,
                source=view.source, publisher=view.publisher, tags=dict(view.tags),
                sub_id=view.sub_id, session_id=session_id, node=node)


def recording_path(config: ResolvedConfig, view: NumberView, call_id: str) -> str | None:
    return f"{config.model.recordings_dir}/{call_id}.wav" if view.record else None


def voicemail_dir(config: ResolvedConfig) -> str:
    """Where the flow has Asterisk record callers' messages (on the Asterisk host)."""
    return f"{config.model.recordings_dir}/voicemail"


def closed(config: ResolvedConfig, view: NumberView, call_id: str, result: CallResult,
           ended: datetime) -> CallEnd:
    """How the call ended, and whether it converted under the number's conversion setting."""
    talk = result.talk_seconds
    answered = result.outcome == "answered"
    return CallEnd(
        status=CallStatus(result.outcome), ended_at=ended,
        answered_at=ended - timedelta(seconds=talk) if answered else None,
        talk_seconds=talk if answered else None, answered_target=result.answered_target,
        recording=recording_path(config, view, call_id) if answered else None,
        voicemail=result.voicemail,
        converted=converts(view.conversion, Facts(answered, talk, result.answered_target,
                                                  result.ivr_path, result.tags)))


def settled(config: ResolvedConfig, view: NumberView, call: Call, end: CallEnd) -> CallEnd:
    """An end AMI learnt with no flow to say it, made whole as `closed` makes the flow's: the
    recording MixMonitor was started on, and whether it converted (by what the row kept of
    the flow: its IVR path and tags)."""
    if end.status is not CallStatus.ANSWERED:
        return end
    facts = Facts(True, end.talk_seconds or 0.0, end.answered_target, call.ivr_path, call.tags)
    return replace(end, recording=recording_path(config, view, call.id),
                   converted=converts(view.conversion, facts))
