"""Block caps' counts on SQLite and PostgreSQL alike: calls since the start of the block in
force, none outside every block; and a scope capped only by blocks still touches its guard
row, so the count and the call it admits are one step across nodes (`store.cap_guards`)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from callserver.asterisk.call_counts import Scope, read_counts
from callserver.hours.blocks import Block
from callserver.hours.caps import Caps
from callserver.hours.intervals import Interval
from callserver.store import calls
from callserver.store.call_values import Call
from callserver.store.open import AnyStore
from callserver.store.pg import PgStore

NY = "America/New_York"
NUMBER = "+18005550101"
SCOPE = Scope("number", NUMBER, NY, Caps(blocks=(Block(Interval(540, 720), 5),
                                                 Block(Interval(1320, 360), 1))))


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo(NY)).astimezone(UTC)


async def test_the_block_in_force_counts_from_its_start(either: AnyStore) -> None:
    for n, at in enumerate((local(23, 23), local(24, 8, 30), local(24, 9), local(24, 11, 59))):
        await either.write(calls.start, Call(id=f"c{n}", started_at=at, number=NUMBER,
                                             caller="+13125550123", campaign="spring"))
    assert await either.write(read_counts, [SCOPE], local(24, 11, 59)) == {
        f"number:{NUMBER}": {"block 09:00-12:00": 2}}
    assert await either.write(read_counts, [SCOPE], local(24, 3)) == {
        f"number:{NUMBER}": {"block 22:00-06:00": 1}}
    assert await either.write(read_counts, [SCOPE], local(24, 12)) == {f"number:{NUMBER}": {}}


async def test_a_target_capped_only_by_blocks_is_guarded(store: PgStore) -> None:
    desk = Scope("target", "desk", NY, Caps(blocks=(Block(Interval(540, 720), 1),)))
    assert desk.admits
    await store.write(read_counts, [desk], local(24, 10))
    assert await store.read(lambda conn: [row[0] for row in conn.execute(
        "SELECT scope FROM cap_guards")]) == ["target:desk"]
