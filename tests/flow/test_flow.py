"""The call flow on a simulated line, table-driven over the demo config."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from callserver.channel import CallerGone, DialResult
from callserver.config.loader import load_config
from callserver.config.resolve import ResolvedConfig
from callserver.flow import Counts, run_call
from callserver.flow_trace import CallResult
from callserver.hours.caps import Counters
from callserver.simulate import SimulatedChannel, dial_names

DEMO = Path(__file__).parents[2] / "examples" / "demo.yaml"
TUESDAY_NOON_CHICAGO = datetime(2026, 11, 24, 18, tzinfo=UTC)
TUESDAY_NIGHT = datetime(2026, 11, 25, 4, tzinfo=UTC)
THANKSGIVING = datetime(2026, 11, 26, 18, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo() -> ResolvedConfig:
    return load_config(DEMO)


def call(config: ResolvedConfig, to: str, *, at: datetime = TUESDAY_NOON_CHICAGO,
         digits: str = "", busy: Sequence[str] = (), no_answer: Sequence[str] = (),
         counts: Counts | None = None) -> tuple[CallResult, SimulatedChannel]:
    channel = SimulatedChannel(dial_names(config), digits, frozenset(busy), frozenset(no_answer))
    view = config.lookup(to)
    assert view is not None
    result = asyncio.run(run_call(channel, config, view, call_id="call-1",
                                  caller="(312) 555-0000", now=at, counts=counts or Counts()))
    return result, channel


CASES: list[tuple[str, dict[str, Any], str, list[str]]] = [
    ("answered by first priority", {"to": "8005550101", "digits": "1"}, "answered",
     ["dispatch"]),
    ("failover after no answer", {"to": "8005550101", "digits": "1",
                                  "no_answer": ["dispatch"]}, "answered",
     ["dispatch", "overflow"]),
    ("failover after busy", {"to": "8005550101", "digits": "1", "busy": ["dispatch"]},
     "answered", ["dispatch", "overflow"]),
    ("everyone busy", {"to": "8005550101", "digits": "1", "busy": ["dispatch", "overflow"]},
     "busy", ["dispatch", "overflow"]),
    ("IVR option replaces targets", {"to": "8005550101", "digits": "2"}, "answered",
     ["overflow"]),
    ("unlocked number rings simultaneously", {"to": "8005550102"}, "answered",
     ["dispatch+overflow"]),
    ("holiday noon: on-call is off duty too", {"to": "8005550101", "at": THANKSGIVING},
     "closed", []),
    ("holiday evening goes to on-call", {"to": "8005550101",
                                         "at": datetime(2026, 11, 27, 0, tzinfo=UTC)},
     "answered", ["on-call"]),
    ("after hours goes to on-call", {"to": "8005550101", "at": TUESDAY_NIGHT}, "answered",
     ["on-call"]),
    ("weighted pay-per-call", {"to": "8885550104"}, "answered", ["buyer-a|buyer-b"]),
]


@pytest.mark.parametrize(("name", "kwargs", "outcome", "dialled"), CASES,
                         ids=[c[0] for c in CASES])
def test_flow_outcomes(demo: ResolvedConfig, name: str, kwargs: dict[str, Any], outcome: str,
                       dialled: list[str]) -> None:
    result, _ = call(demo, **kwargs)
    assert result.outcome == outcome, result.trace["reason"]
    got = ["+".join(a["targets"]) for a in result.trace["attempts"]]
    if dialled == ["buyer-a|buyer-b"]:
        assert got[0] in {"buyer-a", "buyer-b"}
    else:
        assert got == dialled


def test_closed_without_after_hours_plays_closed_and_hangs_up(demo: ResolvedConfig) -> None:
    result, channel = call(demo, "8885550104", at=THANKSGIVING)
    assert result.outcome == "answered"  # the insurance campaign has no schedule
    result, channel = call(demo, "8005550102", at=TUESDAY_NIGHT)
    assert result.outcome == "closed"
    assert result.trace["hours"]["open"] is False
    assert result.trace["hours"]["next_open"] == "2026-11-25T14:00:00Z"
    assert channel.commands == ["hangup"]  # the TV number unlocked prompts without `closed`


def test_campaign_cap_refuses_with_its_prompt(demo: ResolvedConfig) -> None:
    counts = Counts({"campaign:plumbing": Counters(day=400)})
    result, channel = call(demo, "8005550101", counts=counts)
    assert result.outcome == "capped"
    assert {"scope": "campaign:plumbing", "period": "day", "count": 400, "limit": 400,
            "blocked": True} in result.trace["caps"]
    assert channel.commands[-2:] == [f"play {demo.prompts.find('capped')}", "hangup"]


def test_number_cap_counts_just_below_the_limit_pass(demo: ResolvedConfig) -> None:
    result, _ = call(demo, "8885550105", counts=Counts({"number:+18885550105": Counters(day=39)}))
    assert result.outcome == "answered"
    result, _ = call(demo, "8885550105", counts=Counts({"number:+18885550105": Counters(day=40)}))
    assert result.outcome == "capped"


def test_targets_at_capacity_are_skipped_with_reason(demo: ResolvedConfig) -> None:
    counts = Counts({"target:dispatch": Counters(concurrency=4)})
    result, _ = call(demo, "8005550101", digits="1", counts=counts)
    assert result.trace["plan"]["skipped"] == [
        {"target": "dispatch", "reason": "busy: concurrency 4/4"}]
    assert result.answered_target == "overflow"


def test_all_targets_capped_is_a_capped_outcome(demo: ResolvedConfig) -> None:
    counts = Counts({"target:buyer-a": Counters(day=50), "target:buyer-b": Counters(hour=10)})
    result, channel = call(demo, "8885550104", counts=counts)
    assert result.outcome == "capped"
    assert channel.commands[-1] == "hangup"


def test_ivr_tags_reach_the_result(demo: ResolvedConfig) -> None:
    result, _ = call(demo, "8005550101", digits="2")
    assert result.ivr_path == ("2",)
    assert result.tags["dept"] == "support"
    assert result.trace["ivr"] == {"path": ["2"], "tags": {"dept": "support"},
                                   "targets": ["overflow"], "reason": result.trace["ivr"]["reason"]}


class HangsUpAt(SimulatedChannel):
    """A caller who hangs up when the flow reaches a given command."""

    def __init__(self, names: Mapping[str, str], when: str) -> None:
        super().__init__(names, "")
        self.when = when

    def _maybe(self, what: str) -> None:
        if what == self.when:
            raise CallerGone(what)

    async def answer(self) -> None:
        self._maybe("answer")
        await super().answer()

    async def play(self, prompt: str) -> None:
        self._maybe("play")
        await super().play(prompt)

    async def read_digits(self, prompt: str, max_digits: int, timeout_s: float) -> str | None:
        self._maybe("read")
        return await super().read_digits(prompt, max_digits, timeout_s)

    async def dial(self, dial: Sequence[str], ring_timeout: int,
                   whisper: str | None) -> DialResult:
        self._maybe("dial")
        return await super().dial(dial, ring_timeout, whisper)


@pytest.mark.parametrize(("when", "step"), [("answer", "answer"), ("play", "greeting prompt"),
                                            ("read", "IVR at top"), ("dial", "dial dispatch")])
def test_hang_up_at_any_step_is_abandoned_with_the_step(demo: ResolvedConfig, when: str,
                                                        step: str) -> None:
    channel = HangsUpAt(dial_names(demo), when)
    view = demo.lookup("8005550101")
    assert view is not None
    result = asyncio.run(run_call(channel, demo, view, call_id="c", caller="+13125550000",
                                  now=TUESDAY_NOON_CHICAGO, counts=Counts()))
    assert result.outcome == "abandoned"
    assert result.trace["reason"] == f"caller hung up during {step}"


def test_no_target_voicemail_records_a_message(tmp_path: Path) -> None:
    from callserver.config.loader import parse_config

    config = parse_config("""
targets: {a: {dial: "PJSIP/a"}}
campaigns:
  c:
    routing:
      targets: [{target: a}]
      no_target: {prompt: no-agents, action: voicemail}
    numbers: {"8005550101": {}}
""", "t.yaml", tmp_path / "t.yaml")
    result, channel = call(config, "8005550101", no_answer=["a"])
    assert result.outcome == "no-answer"
    assert channel.commands[-3:] == [f"play {config.prompts.find('no-agents')}",
                                     "voicemail call-1", "hangup"]
    assert result.trace["reason"].endswith("voicemail taken")
