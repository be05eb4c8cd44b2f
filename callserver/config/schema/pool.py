"""A campaign's pool: numbers leased to visitors' sessions for dynamic number insertion.

Its settings (`NumberSettings`: call flow, hours, caps, recording, sub_id) are each of its
numbers', its fallback's too: the fallback is shown for the pool when every number is leased,
so a call to it is a call to the pool."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from callserver.config.schema.base import Name, Phone, Seconds
from callserver.config.schema.number_settings import NumberSettings


class Pool(NumberSettings):
    """Numbers leased to visitors' sessions for dynamic number insertion."""

    name: str | None = Field(
        None, description="Display name (\"Website DNI Pool\") in `/api/pools` and the "
                          "dashboard; defaults to the key.")
    sources: list[Name] = Field(
        default_factory=list,
        description="Onsite sources it serves; empty: every visit no static number or other "
                    "pool claims.")
    session_timeout: Seconds = Field(1800, description="Lease length after the last renewal.")
    geo: Literal["nearest"] | None = Field(
        None, description="nearest: lease a number in the visitor's US state or Canadian "
                          "province, else one in the nearest state or province that has a free "
                          "one, else elsewhere in the visitor's country, else show `fallback`; "
                          "never a number abroad. Needs `geoip_db`; a visitor it cannot place "
                          "gets any free number.")
    fallback: Phone | None = Field(
        None, description="Shown when every number is leased; its calls follow the pool's "
                          "settings, as its numbers' do.")
    release_after_call: bool = Field(
        False, description="Return a number to the pool as soon as the call attributed to its "
                           "session ends, instead of when the session times out.")
    numbers: list[Phone] = Field(default_factory=list)
