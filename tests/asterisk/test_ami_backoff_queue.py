"""Reconnect backoff and the bounded event queue: pure pieces of the AMI client."""

from __future__ import annotations

import asyncio
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callserver.asterisk.ami.backoff import Backoff
from callserver.asterisk.ami.event_queue import DropOldestQueue


def test_backoff_doubles_from_the_first_delay_up_to_the_cap() -> None:
    backoff = Backoff(initial=0.5, cap=30.0, jitter=0.2)

    assert [backoff.delay(n, 0.0) for n in range(8)] == [0.5, 1, 2, 4, 8, 16, 30, 30]
    assert backoff.delay(1000, 0.0) == 30.0


@given(st.integers(min_value=0, max_value=10_000), st.floats(min_value=0, max_value=0.999))
def test_jitter_only_shortens_and_never_below_its_fraction(attempt: int, rand: float) -> None:
    backoff = Backoff()
    plain = backoff.delay(attempt, 0.0)

    assert plain * (1 - backoff.jitter) <= backoff.delay(attempt, rand) <= plain <= backoff.cap


@pytest.mark.parametrize("bad", [{"initial": 0}, {"initial": 5, "cap": 1}, {"jitter": 1}])
def test_nonsense_backoff_is_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Backoff(**bad)


async def test_a_full_queue_drops_the_oldest_and_says_so_once_per_burst(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    queue: DropOldestQueue[int] = DropOldestQueue(3, logging.getLogger("test.queue"), "AMI event")

    for n in range(10):
        queue.put(n)
    taken = [await queue.get() for _ in range(3)]
    queue.put(10)
    queue.put(11)

    assert taken == [7, 8, 9]
    assert queue.dropped == 7
    assert [r.getMessage() for r in caplog.records] == [
        "AMI event queue full (3); dropping the oldest until the handler catches up",
        "AMI event queue caught up; 7 dropped in that burst",
    ]
    assert [await queue.get(), await queue.get()] == [10, 11]


async def test_kept_items_survive_an_overflow() -> None:
    queue: DropOldestQueue[str] = DropOldestQueue(
        2, logging.getLogger("test.queue"), "x", keep=lambda item: item.startswith("snapshot")
    )

    for item in ["snapshot", "a", "b", "c"]:
        queue.put(item)

    assert [await queue.get() for _ in range(2)] == ["snapshot", "c"]
    assert queue.dropped == 2


async def test_get_waits_for_the_next_put() -> None:
    queue: DropOldestQueue[str] = DropOldestQueue(2, logging.getLogger("test.queue"), "x")
    waiter = asyncio.create_task(queue.get())
    await asyncio.sleep(0)

    queue.put("first")

    assert await waiter == "first"
    assert len(queue) == 0
