"""Pay-per-call money (migration 0019) through `end_call` on SQLite and PostgreSQL alike: a
converted call earns its buyer's revenue and owes its publisher's payout, a call that does not
convert (too short, or a repeat caller's) earns 0, one with no price applying records null, and
a price edited later leaves what earlier calls recorded alone; the report sums the rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from callserver.call_events import end_call, start_call
from callserver.call_record import opened
from callserver.config.loader import parse_config
from callserver.config.resolve import ResolvedConfig
from callserver.reports import summary
from callserver.reports.filters import CallFilter
from callserver.reports.groups import Group
from callserver.store import calls
from callserver.store.call_values import CallEnd, CallStatus
from callserver.store.open import AnyStore

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
CONFIG = """
targets:
  buyer: {dial: "PJSIP/buyer@pbx", revenue: {per_converted_call: 25.0}}
  house: {dial: "PJSIP/house@pbx"}
publishers:
  acme: {name: Acme Media, payout: {per_converted_call: 12.0}}
  metro: {name: Metro Media}
campaigns:
  spring:
    routing: {targets: [{target: buyer}]}
    conversion: {min_duration: 60, repeat_within_days: 30}
    numbers:
      "+18005550101": {publisher: acme}
      "+18005550102": {publisher: metro}
      "+18005550103": {}
"""


def _config(tmp_path: Path, text: str = CONFIG) -> ResolvedConfig:
    return parse_config(text, "callserver.yaml", tmp_path / "callserver.yaml")


async def _call(store: AnyStore, config: ResolvedConfig, call_id: str, number: str,
                caller: str, target: str | None, talk: float, minutes: int
                ) -> tuple[float | None, float | None]:
    view = config.lookup(number)
    assert view is not None
    at = NOW + timedelta(minutes=minutes)
    await store.write(start_call, config, view, opened(call_id, view, caller, at), [], at)
    answered = target is not None
    end = CallEnd(CallStatus.ANSWERED if answered else CallStatus.NO_ANSWER,
                  at + timedelta(seconds=talk + 5), talk_seconds=talk if answered else None,
                  answered_target=target, converted=talk >= 60)
    assert await store.write(end_call, config, view, call_id, end)
    done = await store.read(calls.get, call_id)
    assert done is not None and done.end is not None
    return done.end.revenue, done.end.payout


async def test_each_call_records_what_it_earned(either: AnyStore, tmp_path: Path) -> None:
    config = _config(tmp_path)
    assert await _call(either, config, "c1", "+18005550101", "+13125550001", "buyer", 90, 0) \
        == (25.0, 12.0)
    assert await _call(either, config, "c2", "+18005550101", "+13125550002", "buyer", 20, 1) \
        == (0.0, 0.0)
    # A repeat caller's call does not convert, so it earns nothing and owes nothing.
    assert await _call(either, config, "c3", "+18005550101", "+13125550001", "buyer", 90, 2) \
        == (0.0, 0.0)
    assert await _call(either, config, "c4", "+18005550102", "+13125550004", "buyer", 90, 3) \
        == (25.0, None)
    assert await _call(either, config, "c5", "+18005550103", "+13125550005", "house", 90, 4) \
        == (None, None)
    assert await _call(either, config, "c6", "+18005550101", "+13125550006", None, 0, 5) \
        == (None, 0.0)
    edited = _config(tmp_path, CONFIG.replace("25.0", "40.0").replace("12.0", "15.0"))
    assert await _call(either, edited, "c7", "+18005550101", "+13125550007", "buyer", 90, 6) \
        == (40.0, 15.0)
    first = await either.read(calls.get, "c1")
    assert first is not None and first.end is not None
    assert (first.end.revenue, first.end.payout) == (25.0, 12.0)
    report = await either.read(summary.report, CallFilter(), Group("publisher"), "UTC", {})
    assert {key: (t.revenue, t.payout) for key, t in report.rows} == {
        "acme": (65.0, 27.0), "metro": (25.0, 0.0), None: (0.0, 0.0)}
    assert report.total.record()["margin"] == 90.0 - 27.0
