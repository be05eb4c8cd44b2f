"""A call that ended in voicemail shows its message file in `GET /api/calls`, in
`GET /api/calls/{id}` and in the CSV export, to the admin and to its publisher; other calls
show none."""

from __future__ import annotations

from callserver.store import calls
from callserver.store.call_values import CallEnd, CallStatus
from callserver.store.db import Store
from tests.reports.conftest import ACME, Api, acme, utc

MESSAGE = "/var/spool/asterisk/callserver/voicemail/vm1.wav"


async def seed_voicemail(store: Store) -> None:
    """Call vm1 to +18005550101 (acme's), after hours to voicemail, which left MESSAGE."""
    at = "2026-03-04T03:00:00+00:00"
    await store.write(calls.start, acme("vm1", at).call(), durable=True)
    end = CallEnd(CallStatus.CLOSED, utc(at), voicemail=MESSAGE)
    assert await store.write(calls.complete, "vm1", end, durable=True)


async def test_the_message_file_is_on_the_call(api: Api) -> None:
    await seed_voicemail(api.store)
    assert (await api.json("/api/calls/vm1"))["voicemail"] == MESSAGE
    listed = {c["id"]: c["voicemail"] for c in (await api.json("/api/calls"))["calls"]}
    assert listed["vm1"] == MESSAGE and listed["a1"] is None
    rows = {row["id"]: row["voicemail"] for row in await api.csv("/api/calls")}
    assert (rows["vm1"], rows["a1"]) == (MESSAGE, "")


async def test_a_publisher_sees_its_calls_voicemail(api: Api) -> None:
    await seed_voicemail(api.store)
    assert (await api.json("/api/calls/vm1", token=ACME))["voicemail"] == MESSAGE
