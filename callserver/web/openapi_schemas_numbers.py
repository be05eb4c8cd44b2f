"""The schemas of the number side of the API: pools and their leases, the inventory (the
admin's record, or a publisher's own numbers) and releasing numbers from it.
"""

from __future__ import annotations

from callserver.numbers.plan import STATES
from callserver.web.json_schema import (
    BOOL,
    INSTANT,
    INT,
    NUMBER,
    STRING,
    Schema,
    array,
    nullable,
    obj,
)

_LEASE = obj({"number": STRING, "session_id": STRING, "leased_at": INSTANT,
              "expires_at": INSTANT})
_POOL = obj({"campaign": STRING, "pool": STRING, "name": STRING, "numbers": array(STRING),
             "fallback": nullable(STRING), "session_timeout": INT, "size": INT, "active": INT,
             "utilisation": NUMBER, "leases": array(_LEASE), "exhaustions_last_day": INT,
             "peak_sessions_last_day": INT, "recommended_size": INT})
_INVENTORY_NUMBER = obj({
    "number": STRING, "kind": STRING, "country": STRING, "region": nullable(STRING),
    "campaign": STRING, "pool": nullable(STRING), "role": {"enum": ["static", "pool", "fallback"]},
    "state": {"enum": list(STATES)}, "listed": BOOL, "first_seen": INSTANT,
    "released_at": nullable(INSTANT), "free_at": nullable(INSTANT), "stray_calls": INT})
_PUBLISHER_NUMBER = obj({
    "number": STRING, "kind": STRING, "country": STRING, "region": nullable(STRING),
    "campaign": STRING, "source": nullable(STRING), "sub_id": nullable(STRING),
    "state": {"enum": ["active"]}})

NUMBER_SCHEMAS: dict[str, Schema] = {
    "Pools": obj({"at": INSTANT, "pools": array(_POOL)}),
    "ReleaseRequest": obj({
        "numbers": {**array(STRING), "description": "numbers, any common spelling"},
        "campaigns": {**array(STRING), "description": "every active number of each"},
        "pools": {**array(STRING), "description": "CAMPAIGN/POOL, or POOL in any campaign"}},
        optional=("numbers", "campaigns", "pools")),
    "Numbers": obj({"numbers": array(
        {"anyOf": [_INVENTORY_NUMBER, _PUBLISHER_NUMBER],
         "description": "the inventory's record (admin), or a publisher's own number"})}),
    "Released": obj({
        "released": array(_INVENTORY_NUMBER), "leases_ended": array(STRING),
        "already_released": array(_INVENTORY_NUMBER),
        "delete_from_config": array(obj({"file": STRING, "line": INT, "path": STRING,
                                         "text": STRING}))}),
}
