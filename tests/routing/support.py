"""Shared setup for routing tests: configs written inline, fixed instants, call contexts."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from callserver.config.loader import load_config, parse_config
from callserver.config.resolve import ResolvedConfig
from callserver.hours.caps import Counters
from callserver.ivr import Done
from callserver.routing import CallContext, DialPlan, context_for, plan, rotation_key

DEMO = Path(__file__).parents[2] / "examples" / "demo.yaml"
# Tuesday 2026-03-03: 09:00 in Chicago (the demo office is open), and 21:00 the evening before.
OPEN = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
NIGHT = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
NUMBER = "+18005550101"

TARGETS = """\
  a: {dial: "PJSIP/a@pbx"}
  b: {dial: "PJSIP/b@pbx"}
  c: {dial: "PJSIP/c@pbx"}
  d: {dial: "PJSIP/d@pbx"}
"""


def demo() -> ResolvedConfig:
    return load_config(DEMO)


def inline(tmp_path: Path, routing: str, targets: str = TARGETS,
           number: str = "{}") -> ResolvedConfig:
    """A one-campaign config: `routing` and `number` are YAML flow mappings."""
    text = textwrap.dedent("""\
        trunk: "PJSIP/{number}@carrier"
        schedules:
          always: {open: {daily: 24h}}
          never: {open: {daily: closed}}
        sources: {tv: {}}
        publishers: {acme: {}}
        targets:
        %s
        campaigns:
          c:
            routing: %s
            numbers: {"%s": %s}
        timezone: UTC
        """) % (targets, routing, NUMBER, number)
    return parse_config(text, "t.yaml", tmp_path / "t.yaml")


def context(cfg: ResolvedConfig, number: str = NUMBER, *, call_id: str = "call-1",
            caller: str = "+13125550100", now: datetime = OPEN,
            ivr: Done | None = None) -> CallContext:
    view = cfg.lookup(number)
    assert view is not None
    return context_for(view, call_id=call_id, caller=caller, now=now, ivr=ivr)


def planned(cfg: ResolvedConfig, number: str = NUMBER, *,
            counters: Mapping[str, Counters] | None = None, rotation: int = 0,
            ctx: CallContext | None = None) -> DialPlan:
    """The number's plan; `rotation` is the round-robin turn its routing's own list is at."""
    view = cfg.lookup(number)
    assert view is not None
    turns = {rotation_key(view.campaign, [ref.target for ref in view.routing.targets]): rotation}
    return plan(view.routing, ctx or context(cfg, number), cfg.model.targets, cfg.schedules,
                counters or {}, turns, cfg.model.trunk)


def rings(found: DialPlan) -> list[list[str]]:
    """The attempts as lists of target names, in dialling order."""
    return [list(attempt.targets) for attempt in found.attempts]
