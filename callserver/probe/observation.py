"""What the calling end of a test call saw and did, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Timing:
    """How long each stage of a test call may take, in seconds."""

    register_s: float = 5.0
    answer_s: float = 15.0
    audio_s: float = 5.0  # the greeting must start within this after the answer
    after_digits_s: float = 2.0  # stay on the line while callserver acts on the digits
    record_s: float = 10.0  # wait this long after hang-up for the call record to complete


@dataclass(frozen=True)
class Observation:
    """One test call from the caller's side.

    `failure` says why the call could not be placed or was not answered; an answered call
    has `answer_s` (INVITE to 200 OK) and, if audio arrived, `first_audio_s` (answer to the
    first frame that is not silence). `dtmf_heard` holds telephone-events the far end sent.
    """

    number: str
    placed_at: datetime
    ended_at: datetime
    failure: str | None = None
    answer_s: float | None = None
    first_audio_s: float | None = None
    audio_frames: int = 0
    digits_sent: str = ""
    dtmf_heard: str = ""

    @property
    def answered(self) -> bool:
        return self.answer_s is not None
