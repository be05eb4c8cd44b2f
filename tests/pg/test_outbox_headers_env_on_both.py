"""Migration 0020 (`webhook_outbox.headers_env`) on SQLite and PostgreSQL alike: a delivery
keeps which header is sent with which variable through enqueue, claim and listing, and rows
written before the upgrade have none (`{}`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from callserver.store import outbox
from callserver.store.columns import instant
from callserver.store.delivery_values import DeliveryStatus
from callserver.store.open import AnyStore
from tests.pg.upgrade import before_migration
from tests.store.conftest import NOW
from tests.store.test_outbox import HOLD, _delivery


async def test_a_delivery_keeps_its_header_variables(either: AnyStore) -> None:
    named = replace(_delivery(1), headers_env={"authorization": "CRM_AUTH", "x-api-key": "KEY"})
    await either.write(outbox.enqueue, named)
    await either.write(outbox.enqueue, _delivery(2))

    claimed = await either.write(outbox.claim_due, NOW, HOLD, 10)
    assert [d.headers_env for d in claimed] == [named.headers_env, {}]
    listed = await either.read(outbox.with_status, DeliveryStatus.CLAIMED, 10)
    assert {d.id: d.headers_env for d in listed} == {"msg-1": named.headers_env, "msg-2": {}}


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_rows_from_before_0020_have_no_header_variables(
        engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    with before_migration(engine, 20, NOW, tmp_path, request) as (conn, upgrade):
        conn.execute("INSERT INTO webhook_outbox (id, event, url, body, created_at, "
                     "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)",
                     ("old", "call.completed", "https://crm.example/hook", "{}",
                      instant(NOW), instant(NOW)))
        upgrade()
        (found,) = conn.execute("SELECT headers_env FROM webhook_outbox").fetchall()
    assert tuple(found) == ("{}",)
