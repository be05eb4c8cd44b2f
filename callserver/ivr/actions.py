"""What the IVR asks the call flow to do next: read a key, play a prompt, or stop.

The IVR never touches a channel; the flow performs each action and feeds the keys back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from callserver.config.schema.routing import TargetRef


@dataclass(frozen=True)
class Collect:
    """Play `prompt` and wait up to `timeout_s` seconds for `max_digits` keys."""

    prompt: str
    timeout_s: int
    max_digits: int = 1


@dataclass(frozen=True)
class Play:
    """Play `prompt` (a bad key or silence was heard), then collect again as `then` says."""

    prompt: str
    then: Collect


@dataclass(frozen=True)
class Done:
    """The menu is over: keys taken, tags gathered down the path, the deepest target choice.

    `targets` is None when no option on the path replaced the routing's targets.
    """

    path: tuple[str, ...]
    tags: Mapping[str, str]
    targets: tuple[TargetRef, ...] | None
    reason: str


Action = Collect | Play | Done
