import sqlite3
from datetime import timedelta

import pytest

from callserver.store import Store
from callserver.store.call_values import Call
from callserver.store.calls import start
from callserver.store.events import CallEvent, append, for_call
from tests.store.conftest import NOW


async def test_events_are_listed_per_call_in_time_order(store: Store) -> None:
    for call_id in ("call-1", "call-2"):
        await store.write(start, Call(call_id, NOW, "+18005550101", "+13125550199"))
    second = NOW + timedelta(seconds=1)
    events = [
        CallEvent("call-1", second, "dial-end", {"DialStatus": "ANSWER"}),
        CallEvent("call-2", NOW, "hangup", {"Cause": "16"}),
        CallEvent("call-1", NOW, "dial-begin", {"DestChannel": "PJSIP/sales-0001"}),
        CallEvent("call-1", second, "bridge-enter"),
    ]
    for event in events:
        await store.write(append, event)

    assert await store.read(for_call, "call-1") == [events[2], events[0], events[3]]
    assert await store.read(for_call, "call-3") == []


async def test_an_event_needs_its_call(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        await store.write(append, CallEvent("no-such-call", NOW, "hangup"))
