"""Pay-per-call's duplicate rule through `end_call` on a real store: a caller who called the
campaign within `repeat_within_days` converts no more and sends no `call.converted`; withheld
caller ids are never repeats."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from callserver.call_events import end_call, start_call
from callserver.call_record import opened
from callserver.config.loader import parse_config
from callserver.store import Store, calls
from callserver.store.call_values import CallEnd, CallStatus
from tests.asterisk.webhook_config import CONFIG as WEBHOOK_CONFIG

NOW = datetime(2026, 3, 2, 15, 4, 5, tzinfo=UTC)
# The webhook campaign, its conversion with the duplicate rule (the outbox query below counts
# only its call.converted deliveries).
CONFIG = WEBHOOK_CONFIG.replace("BASE", "https://crm.example.com").replace(
    "conversion: {min_duration: 60}", "conversion: {min_duration: 60, repeat_within_days: 30}")


async def test_a_repeat_callers_call_does_not_convert_again(store: Store,
                                                            tmp_path: Path) -> None:
    config = parse_config(CONFIG, "callserver.yaml", tmp_path / "callserver.yaml")
    view = config.lookup("+18005550101")
    assert view is not None

    async def call(call_id: str, caller: str, at: datetime) -> bool:
        row = opened(call_id, view, caller, at)
        await store.write(start_call, config, view, row, [], at, durable=True)
        end = CallEnd(status=CallStatus.ANSWERED, ended_at=at + timedelta(seconds=95),
                      answered_at=at + timedelta(seconds=5), talk_seconds=90.0,
                      answered_target="sales", converted=True)
        assert await store.write(end_call, config, view, call_id, end, durable=True)
        done = await store.read(calls.get, call_id)
        assert done is not None and done.end is not None
        return done.end.converted

    assert await call("c1", "+13125550123", NOW - timedelta(days=40))
    assert await call("c2", "+13125550123", NOW - timedelta(days=5))  # 35 days after c1
    assert not await call("c3", "+13125550123", NOW)  # c2 was 5 days before
    assert await call("c4", "+13125550199", NOW)
    assert await call("c5", "anonymous", NOW)
    assert await call("c6", "anonymous", NOW + timedelta(minutes=1))
    events = await store.read(lambda conn: list(conn.execute(
        "SELECT call_id FROM webhook_outbox WHERE event = 'call.converted'")))
    assert Counter(call_id for (call_id,) in events) == Counter(
        {"c1": 1, "c2": 1, "c4": 1, "c5": 1, "c6": 1})
