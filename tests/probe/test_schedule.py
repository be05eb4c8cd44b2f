"""The monitor's schedule: when each number is called next, from now and the last results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from callserver.config.schema.monitor import Monitor, MonitoredNumber
from callserver.probe.monitor.schedule import Planned, due, next_run, next_wake, plan_of
from callserver.probe.observation import Observation, Timing
from callserver.probe.verdict import Spec, Verdict, judge

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
A, B = "+18005550101", "+18005550102"
MONITOR = Monitor(server="pbx:5060", interval_s=900, retry_s=60,
                  numbers=[MonitoredNumber(number=A), MonitoredNumber(number=B, interval_s=30)])
RECHECK = timedelta(seconds=5)


def result(number: str, ended: datetime, ok: bool) -> Verdict:
    seen = Observation(number, ended - timedelta(seconds=5), ended,
                       failure=None if ok else "not answered within 15s")
    verdict = judge(Spec(number), seen, None, Timing())
    assert verdict.ok is ok
    return verdict


def test_the_plan_takes_the_monitors_interval_unless_the_number_sets_its_own() -> None:
    a, b = plan_of(MONITOR)
    assert (a.spec.number, a.interval_s, a.retry_s) == (A, 900, 60)
    assert (b.spec.number, b.interval_s, b.retry_s) == (B, 30, 30)  # never retry later


def test_a_number_never_called_is_due_now() -> None:
    a, _ = plan_of(MONITOR)
    assert next_run(NOW, a, None) == NOW
    assert due(NOW, plan_of(MONITOR), {}) == a  # ties: in number order


def test_a_pass_waits_the_interval_and_a_failure_only_the_retry() -> None:
    a, _ = plan_of(MONITOR)
    assert next_run(NOW, a, result(A, NOW, ok=True)) == NOW + timedelta(seconds=900)
    assert next_run(NOW, a, result(A, NOW, ok=False)) == NOW + timedelta(seconds=60)


def test_the_most_overdue_number_goes_first_and_none_is_due_early() -> None:
    plan = plan_of(MONITOR)
    last = {A: result(A, NOW - timedelta(seconds=1000), ok=True),  # 100 s overdue
            B: result(B, NOW - timedelta(seconds=40), ok=True)}  # 10 s overdue
    assert due(NOW, plan, last) == plan[0]
    fresh = {A: result(A, NOW, ok=True), B: result(B, NOW, ok=True)}
    assert due(NOW, plan, fresh) is None


def test_the_monitor_wakes_for_the_next_call_or_to_recheck_the_config() -> None:
    plan = plan_of(MONITOR)
    fresh = {A: result(A, NOW, ok=True), B: result(B, NOW, ok=False)}
    assert next_wake(NOW, plan, fresh, timedelta(minutes=5)) == NOW + timedelta(seconds=30)
    assert next_wake(NOW, plan, fresh, RECHECK) == NOW + RECHECK
    assert next_wake(NOW, (), {}, RECHECK) == NOW + RECHECK


def test_a_single_planned_number() -> None:
    only = Planned(Spec(A), 10, 5)
    assert due(NOW, [only], {A: result(A, NOW - timedelta(seconds=5), ok=False)}) == only
