"""Whether an ended call converted, under its number's `conversion` setting (seed 002: "what
actions count as a successful conversion"): answered, talked long enough, by the right target,
through the right IVR choice, with the right tags, and not a repeat caller.

Pure: the store answers whether the caller is a repeat (`repeat_callers.called_before`);
this decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from callserver.config.schema.routing import Conversion

# What carriers send when the caller withheld their number: never anyone's repeat.
WITHHELD = frozenset({"", "anonymous", "unknown", "restricted", "private", "unavailable"})


@dataclass(frozen=True)
class Facts:
    """What the call's end and its flow say."""

    answered: bool
    talk_seconds: float
    answered_target: str | None
    ivr_path: Sequence[str]
    tags: Mapping[str, str]


def converts(rule: Conversion, facts: Facts) -> bool:
    """Every condition but the repeat rule, which needs the store (`repeat_since`)."""
    return (facts.answered and facts.talk_seconds >= rule.min_duration
            and (not rule.targets or facts.answered_target in rule.targets)
            and (not rule.ivr or any(_through(path, facts.ivr_path) for path in rule.ivr))
            and all(facts.tags.get(key) == value for key, value in rule.tags.items()))


def repeat_since(rule: Conversion, caller: str, started_at: datetime) -> datetime | None:
    """From when an earlier call by `caller` makes this one a repeat; None when none can."""
    if rule.repeat_within_days is None or caller.strip().lower() in WITHHELD:
        return None
    return started_at - timedelta(days=rule.repeat_within_days)


def _through(path: str, chosen: Sequence[str]) -> bool:
    keys = path.split()
    return list(chosen[:len(keys)]) == keys
