"""`callserver simulate`: run the real call flow on a pretend line and print every decision.

The simulated channel answers like a PBX would: each key of `--digits` is pressed at the next
menu, silence after that; a target named in `--busy` is busy, one in `--no-answer` rings out,
and any other answers. A caller sent to voicemail leaves a message, in `voicemail_dir`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from callserver.channel import DialResult
from callserver.config.resolve import ResolvedConfig
from callserver.flow import Counts
from callserver.hours.caps import BlockCount, Counters
from callserver.routing.dial import targets_by_dial


@dataclass
class SimulatedChannel:
    """A line whose caller and targets behave as told; it notes every command it was given."""

    targets_by_dial: Mapping[str, str]
    digits: str = ""
    busy: frozenset[str] = frozenset()
    no_answer: frozenset[str] = frozenset()
    talk_seconds: float = 120.0
    voicemail_dir: str = "voicemail"
    commands: list[str] = field(default_factory=list)

    async def answer(self) -> None:
        self.commands.append("answer")

    async def play(self, prompt: str) -> None:
        self.commands.append(f"play {prompt}")

    async def read_digits(self, prompt: str, max_digits: int, timeout_s: float) -> str | None:
        keys, self.digits = self.digits[:max_digits], self.digits[max_digits:]
        self.commands.append(f"read {prompt} -> {keys or 'silence'}")
        return keys or None

    async def dial(self, dial: Sequence[str], ring_timeout: int,
                   whisper: str | None) -> DialResult:
        self.commands.append(f"dial {'&'.join(dial)} for {ring_timeout}s")
        names = [self.targets_by_dial.get(d, d) for d in dial]
        for dial_string_, name in zip(dial, names, strict=True):
            if name not in self.busy and name not in self.no_answer:
                return DialResult("answered", dial_string_, self.talk_seconds)
        if all(name in self.busy for name in names):
            return DialResult("busy", detail="every target busy")
        return DialResult("no-answer", detail=f"no answer in {ring_timeout}s")

    async def voicemail(self, name: str) -> str | None:
        self.commands.append(f"voicemail {name}")
        return f"{self.voicemail_dir}/{name}.wav"

    async def set_vars(self, values: Mapping[str, str]) -> None:
        self.commands.append("set " + " ".join(f"{k}={v}" for k, v in values.items()))

    async def hangup(self) -> None:
        self.commands.append("hangup")


def dial_names(config: ResolvedConfig) -> dict[str, str]:
    return targets_by_dial(config.model.targets, config.model.trunk)


def parse_at(text: str | None) -> datetime:
    """An ISO-8601 instant; a naive one is taken as UTC."""
    if text is None:
        return datetime.now(UTC)
    at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def parse_counts(text: str | None, blocks: Mapping[str, str] | None = None) -> Counts:
    """`{"number:+18005550101": {"day": 5}, "target:sales": {"concurrency": 2},
    "rotation": {"spring:sales,tvdesk": 1}}`.

    `"block": 15` counts calls in the block of the day in force at `--at`: `blocks` names it
    per scope (`blocks.block_name`); a scope with no block in force then ignores the count.
    `rotation` gives a round-robin list, named as the plan's `rotation.list` names it
    (`routing.rotation_key`), the turn it is at; a list not given is at turn 0.
    """
    if not text:
        return Counts()
    data: Any = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("--counts must be a JSON object")
    rotations = data.pop("rotation", {})
    if not isinstance(rotations, dict) or not all(
            type(turn) is int and turn >= 0 for turn in rotations.values()):
        raise ValueError('--counts: rotation maps each round-robin list to its turn, a whole '
                         'number >= 0: {"rotation": {"CAMPAIGN:TARGET,TARGET": 1}} (the '
                         "list as the plan's rotation.list names it)")
    scopes = {}
    for scope, counts in data.items():
        if not isinstance(counts, dict) or scope.split(":", 1)[0] not in (
                "number", "campaign", "target"):
            raise ValueError(f"--counts: {scope!r} must be number:N, campaign:C or target:T "
                             "mapping to {hour, day, month, block, concurrency}")
        block = counts.pop("block", None)
        if block is not None and (type(block) is not int or block < 0):
            raise ValueError(f"--counts: {scope}: block must be a whole number >= 0")
        in_force = (blocks or {}).get(scope)
        try:
            scopes[scope] = Counters(**counts, block=None if block is None or in_force is None
                                     else BlockCount(in_force, block))
        except TypeError as exc:
            raise ValueError(f"--counts: {scope}: {exc}") from None
    return Counts(scopes=scopes, rotations=rotations)


def new_call_id() -> str:
    return str(uuid.uuid4())
