"""Round-robin turns in the flow: a call takes its turn as it plans, before anything rings,
so calls that overlap ring different targets first."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from pathlib import Path

from callserver.channel import DialResult
from callserver.config.loader import parse_config
from callserver.config.resolve import ResolvedConfig
from callserver.flow import Counts, run_call
from callserver.simulate import SimulatedChannel, dial_names
from tests.flow.test_flow import TUESDAY_NOON_CHICAGO, call

CONFIG = """
targets: {a: {dial: "PJSIP/a"}, b: {dial: "PJSIP/b"}, c: {dial: "PJSIP/c"}}
campaigns:
  c:
    routing: {strategy: round_robin, targets: [{target: a}, {target: b}, {target: c}]}
    numbers: {"8005550101": {}, "8005550102": {}}
"""


def config_of(tmp_path: Path) -> ResolvedConfig:
    return parse_config(CONFIG, "t.yaml", tmp_path / "t.yaml")


def test_calls_in_a_row_take_turns_over_the_campaign_s_list(tmp_path: Path) -> None:
    """The turn belongs to the list, not the number: the campaign's other number takes the
    next one."""
    config, rotations = config_of(tmp_path), dict[str, int]()
    first, _ = call(config, "8005550101", counts=Counts(rotations=rotations))
    second, _ = call(config, "8005550102", counts=Counts(rotations=rotations))
    assert (first.answered_target, second.answered_target) == ("a", "b")
    assert second.trace["plan"]["rotation"] == {"list": "c:a,b,c", "turn": 1, "next": 2}
    assert rotations == {"c:a,b,c": 2}


class RingsTogether(SimulatedChannel):
    """A line whose dial waits until every call of the test is ringing: the calls overlap."""

    def __init__(self, names: Mapping[str, str], ringing: asyncio.Barrier) -> None:
        super().__init__(names)
        self.ringing = ringing

    async def dial(self, dial: Sequence[str], ring_timeout: int,
                   whisper: str | None) -> DialResult:
        await self.ringing.wait()
        return await super().dial(dial, ring_timeout, whisper)


async def test_overlapping_calls_ring_different_targets_first(tmp_path: Path) -> None:
    config, rotations = config_of(tmp_path), dict[str, int]()
    view = config.lookup("8005550101")
    assert view is not None
    ringing = asyncio.Barrier(3)
    lines = [RingsTogether(dial_names(config), ringing) for _ in range(3)]
    results = await asyncio.gather(*(
        run_call(line, config, view, call_id=f"call-{i}", caller="+13125550000",
                 now=TUESDAY_NOON_CHICAGO, counts=Counts(rotations=rotations))
        for i, line in enumerate(lines)))
    assert sorted(r.answered_target or "" for r in results) == ["a", "b", "c"]
    assert rotations == {"c:a,b,c": 3}
