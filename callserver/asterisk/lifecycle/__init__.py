"""Following calls through Asterisk's manager events: a pure tracker and its store edge."""

from callserver.asterisk.lifecycle.changes import (
    Adopted,
    Answered,
    Bridged,
    CallHungUp,
    Change,
    DialEnded,
    LegHungUp,
    Ringing,
)
from callserver.asterisk.lifecycle.recorder import LifecycleRecorder
from callserver.asterisk.lifecycle.tracker import Tracker
from callserver.asterisk.lifecycle.words import DialWord, Outcome

__all__ = [
    "Adopted",
    "Answered",
    "Bridged",
    "CallHungUp",
    "Change",
    "DialEnded",
    "DialWord",
    "LegHungUp",
    "LifecycleRecorder",
    "Outcome",
    "Ringing",
    "Tracker",
]
