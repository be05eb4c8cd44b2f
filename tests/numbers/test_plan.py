"""The inventory's rules, pure: new, released on leaving, cooling off, back, and reused."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypedDict, Unpack

from callserver.numbers.plan import (
    ACTIVE,
    AVAILABLE,
    RELEASED,
    Entry,
    Listed,
    free_at,
    plan_sync,
    state,
)
from tests.web.swap_support import START

COOLING = timedelta(days=90)
NUMBER = "+13125550110"


def listed(campaign: str = "spring", pool: str | None = None) -> Listed:
    return Listed(NUMBER, "local", "US", "Chicago, IL", campaign, pool,
                  "pool" if pool else "static")


class EntryChanges(TypedDict, total=False):
    """What a test changes of the base entry: whether and when it left service."""

    released_at: datetime | None
    listed: bool


def entry(**changes: Unpack[EntryChanges]) -> Entry:
    base = Entry(NUMBER, "local", "US", "Chicago, IL", "spring", None, "static",
                 START - timedelta(days=200))
    return replace(base, **changes)


def test_a_number_listed_for_the_first_time_is_active() -> None:
    plan = plan_sync({}, [listed()], COOLING, START)
    [new] = plan.changed
    assert (new.first_seen, new.released_at, new.listed) == (START, None, True)
    assert state(new, COOLING, START) == ACTIVE
    assert not plan.conflicts and not plan.released and not plan.out_of_service


def test_an_unchanged_number_changes_nothing() -> None:
    assert plan_sync({NUMBER: entry()}, [listed()], COOLING, START).changed == ()


def test_a_number_that_leaves_the_config_is_released_not_forgotten() -> None:
    plan = plan_sync({NUMBER: entry()}, [], COOLING, START)
    assert plan.released == (NUMBER,)
    [gone] = plan.changed
    assert (gone.released_at, gone.listed, gone.campaign) == (START, False, "spring")
    assert free_at(gone, COOLING) == START + COOLING


def test_states_follow_the_cooling_off_period() -> None:
    released = entry(released_at=START, listed=False)
    assert state(entry(), COOLING, START) == ACTIVE
    assert state(released, COOLING, START + COOLING - timedelta(seconds=1)) == RELEASED
    assert state(released, COOLING, START + COOLING) == AVAILABLE


def test_a_number_cooling_off_cannot_join_another_campaign() -> None:
    old = {NUMBER: entry(released_at=START, listed=False)}
    plan = plan_sync(old, [listed("fall")], COOLING, START + timedelta(days=10))
    [conflict] = plan.conflicts
    assert (conflict.number, conflict.campaign, conflict.former) == (NUMBER, "fall", "spring")
    assert conflict.free_at == START + COOLING
    assert plan.changed == ()


def test_after_its_cooling_off_it_may_join_another_campaign() -> None:
    old = {NUMBER: entry(released_at=START, listed=False)}
    plan = plan_sync(old, [listed("fall", "web")], COOLING, START + COOLING)
    [reused] = plan.changed
    assert (reused.campaign, reused.pool, reused.released_at) == ("fall", "web", None)
    assert reused.first_seen == old[NUMBER].first_seen


def test_a_number_back_in_the_campaign_it_left_is_active_again_at_once() -> None:
    old = {NUMBER: entry(released_at=START, listed=False)}
    plan = plan_sync(old, [listed("spring")], COOLING, START + timedelta(days=1))
    assert [e.released_at for e in plan.changed] == [None]
    assert not plan.conflicts


def test_released_on_command_it_stays_out_of_service_until_its_line_goes() -> None:
    on_command = {NUMBER: entry(released_at=START)}  # still listed: its line not yet deleted
    kept = plan_sync(on_command, [listed()], COOLING, START + timedelta(days=1))
    assert kept.out_of_service == {NUMBER} and kept.changed == ()
    deleted = plan_sync(on_command, [], COOLING, START + timedelta(days=2))
    [gone] = deleted.changed
    assert (gone.listed, gone.released_at) == (False, START) and deleted.released == ()
    back = plan_sync({NUMBER: gone}, [listed()], COOLING, START + timedelta(days=3))
    assert [e.released_at for e in back.changed] == [None] and not back.out_of_service


def test_a_number_moved_while_active_just_moves() -> None:
    plan = plan_sync({NUMBER: entry()}, [listed("fall", "web")], COOLING, START)
    [moved] = plan.changed
    assert (moved.campaign, moved.pool, moved.role) == ("fall", "web", "pool")
    assert not plan.conflicts and not plan.released
