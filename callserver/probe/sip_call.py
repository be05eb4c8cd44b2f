"""The SIP edge of a test call, on rfcvoip (the maintained continuation of pyVoIP).

pyVoIP 1.6.8, the last release, cannot send RFC 2833 digits: `VoIPCall` has no method for
it, and its `RTPClient.trans` writes every packet with the payload type of the audio codec
(`encode_packet` raises for any other), so a telephone-event packet can never leave it; that
`encode_packet` also sends u-law bytes for a call negotiated as PCMA, and the package imports
`audioop` (removed in Python 3.13). rfcvoip keeps pyVoIP's `VoIPPhone` and
`VoIPCall` API and adds `send_dtmf`; both libraries run on threads and block, so this module
is called through `asyncio.to_thread`.

rfcvoip prints its trace to stdout whatever `rfcvoip.DEBUG` says (its `debug(s, e)` prints
`e` when DEBUG is off); that output is sent to logging here, so the CLI's stdout stays JSON.
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime

from callserver.probe.account import LocalSide, SipAccount
from callserver.probe.observation import Observation, Timing

with warnings.catch_warnings():  # audioop: deprecated in 3.11, rfcvoip needs it until 3.13
    warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*audioop")
    import rfcvoip
    from rfcvoip import RTP, SIP
    from rfcvoip.VoIP import CallState, PhoneStatus, VoIPCall, VoIPPhone
    from rfcvoip.VoIP import VoIP as voip_module

log = logging.getLogger(__name__)
FRAME_S = 0.02
DIGIT_S = 0.35  # rfcvoip sends each digit as 200 ms of events, then its end packets
SILENCE = 128  # the midpoint of unsigned 8-bit PCM, rfcvoip's default public format
# Sound is a frame peaking at least this far from the midpoint (about -30 dBFS): G.711's own
# silence decodes a step or so off it, a spoken greeting peaks tens of steps away.
SOUND = 4
HEARD_FRAMES = 10  # 200 ms of sound is a greeting, not a click


def _trace(message: object, short: object = None) -> None:
    log.debug("%s", short if short is not None else message)


rfcvoip.debug = SIP.debug = RTP.debug = voip_module.debug = _trace


def place_call(account: SipAccount, local: LocalSide, number: str, digits: str,
               timing: Timing, clock: Callable[[], datetime] = lambda: datetime.now(UTC),
               stop: threading.Event | None = None) -> Observation:
    """Register, call `number`, listen for the greeting, send `digits`, hang up; setting
    `stop` (a server shutting down) hangs up at the next step."""
    stop = stop or threading.Event()
    phone = VoIPPhone(account.server.host, account.server.port, account.user, account.secret,
                      myIP=local.ip, sipPort=local.sip_port, rtpPortLow=local.rtp_ports[0],
                      rtpPortHigh=local.rtp_ports[1])
    phone.sip.register_timeout = phone.sip.invite_timeout = max(1, int(timing.register_s))
    placed_at = clock()
    try:
        phone.start()
        if phone.get_status() is not PhoneStatus.REGISTERED:  # rfcvoip tells no reason
            return Observation(number, placed_at, clock(),
                               failure=f"not registered with {account.server} as "
                                       f"{account.user}: REGISTER refused, or no answer "
                                       f"within {timing.register_s:g}s")
        placed_at, dialled = clock(), time.monotonic()
        call = phone.call(number)  # returns once the INVITE has its final answer, or earlier
        seen = _on_the_line(call, number, digits, timing, placed_at, dialled, clock, stop)
        if call.state is CallState.ANSWERED:
            call.hangup()
        return seen
    except Exception as error:  # rfcvoip raises bare and library errors alike
        return Observation(number, placed_at, clock(), failure=f"{type(error).__name__}: "
                                                               f"{error}")
    finally:
        _stop(phone)


def _stop(phone: VoIPPhone) -> None:
    """Deregister and close. After a refused REGISTER rfcvoip may already have closed its
    socket, and its deregistration then fails with EBADF: the observation is made by then,
    so that teardown error (an OSError only) must not replace it."""
    try:
        phone.stop()
    except OSError as error:
        log.debug("SIP phone teardown: %s", error)


def _on_the_line(call: VoIPCall, number: str, digits: str, timing: Timing,
                 placed_at: datetime, started: float, clock: Callable[[], datetime],
                 stop: threading.Event) -> Observation:
    while call.state in (CallState.DIALING, CallState.RINGING):
        if time.monotonic() - started > timing.answer_s or stop.is_set():
            call.cancel()
            return Observation(number, placed_at, clock(),
                               failure=f"not answered within {timing.answer_s:g}s")
        stop.wait(FRAME_S)
    if call.state is not CallState.ANSWERED:
        return Observation(number, placed_at, clock(), failure="refused or ended before answer")
    answer_s = time.monotonic() - started
    first_audio_s, frames = _listen(call, timing.audio_s, stop)
    sent = digits if digits and call.send_dtmf(digits) else ""
    stop.wait(len(sent) * DIGIT_S + timing.after_digits_s)
    failure = None
    if call.state is not CallState.ANSWERED:
        failure = "the far end hung up before the test call did"
    elif digits and not sent:
        failure = "the far end did not offer telephone-event"
    elif stop.is_set():
        failure = "stopped before the test call finished"
    return Observation(number, placed_at, clock(), failure=failure, answer_s=answer_s,
                       first_audio_s=first_audio_s, audio_frames=frames, digits_sent=sent,
                       dtmf_heard=call.get_dtmf(64))


def _listen(call: VoIPCall, audio_s: float, stop: threading.Event) -> tuple[float | None, int]:
    """Read frames at their own pace until sound is heard or `audio_s` has passed; when did
    sound start, and how many frames of it."""
    started = time.monotonic()
    first: float | None = None
    frames = 0
    while (time.monotonic() - started < audio_s and frames < HEARD_FRAMES
           and call.state is CallState.ANSWERED and not stop.is_set()):
        frame = call.read_audio(blocking=False)
        if max(abs(sample - SILENCE) for sample in frame) >= SOUND:
            frames += 1
            if first is None:
                first = time.monotonic() - started
        stop.wait(FRAME_S)
    return first, frames
