"""`simulate` for a number the config does not route: the same keys as any other trace, and,
with `--record`, the stray call's record a real call would leave (`numbers.stray`, whose
`stray_call` is the row inbound writes too): marked `released` with its former campaign when
the inventory released the number, else `unknown-number`. Scripts reading the JSON find
every contract key, null where nothing applies.
"""

from __future__ import annotations

from typing import Any

from callserver.config.phone import to_e164
from callserver.numbers.stray import record_stray
from callserver.store.call_values import Call, CallStatus
from callserver.store.open import open_store

REASON = "not a tracking number in this config: handed back to the dialplan"


def dialled(number: str) -> str:
    """The number as the rendered dialplan hands it over: E.164 where it is a phone number."""
    try:
        return to_e164(number)
    except ValueError:
        return number


async def record(db: str, call: Call) -> Call:
    """Write the stray call to the store at `db`, durably, as the inbound edge does."""
    store = await open_store(db)
    try:
        return await store.write(record_stray, call, durable=True)
    finally:
        await store.close()


def stray_trace(call: Call) -> dict[str, Any]:
    """The trace of a call no campaign takes: nothing consulted, nothing dialled."""
    reason = REASON
    if call.end is not None and call.end.status is CallStatus.RELEASED:
        reason = f"released from campaign {call.campaign}: handed back to the dialplan"
    at = call.started_at.isoformat().replace("+00:00", "Z")
    return {"number": call.number, "caller": call.caller, "at": at,
            "campaign": call.campaign, "source": None, "publisher": None, "pool": None,
            "sub_id": None, "tags": {}, "unlocked": [], "hours": None, "caps": [],
            "ivr": None, "plan": None, "attempts": [], "prompts": [],
            "outcome": "unknown-number", "reason": reason, "call_id": call.id,
            "channel": []}
