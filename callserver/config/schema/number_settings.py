"""What a static number and a pool set for their calls, in place of the campaign's.

One model for both, so a pool's numbers have the same call flow, hours, caps, recording and
sub_id a static number can have (the seeds give a traffic partner's pool its own call flow).
"""

from __future__ import annotations

from pydantic import Field

from callserver.config.schema.base import Caps, Name, Strict, Tags
from callserver.config.schema.number_routing import NumberRouting
from callserver.config.schema.routing import Conversion, Prompts
from callserver.config.schema.webhook import Webhook


class Unlock(Strict):
    """Settings a number, or each number of a pool, sets for itself instead of inheriting the
    campaign's."""

    routing: NumberRouting | None = Field(
        None, description="Its own route settings: targets, rules, after-hours handling "
                          "and IVR menu (`ivr`).")
    prompts: Prompts | None = None
    conversion: Conversion | None = None
    webhooks: list[Webhook] | None = None


class NumberSettings(Strict):
    """A static number's, or a pool's for each of its numbers and its fallback."""

    publisher: Name | None = Field(None, description="Publisher (affiliate) it belongs to.")
    tags: Tags = Field(default_factory=dict)
    sub_id: str | None = Field(None, description="Sub-affiliate id within the publisher.")
    schedule: Name | None = Field(None, description="Its own business hours.")
    caps: Caps = Field(
        default_factory=Caps,
        description="Caps on calls to the number. A pool's apply to each of its numbers (and "
                    "its fallback) on its own, as a static number's do: they are not a total "
                    "over the pool; the campaign's caps count every number it has.")
    record: bool | None = Field(None, description="Record its calls; the campaign's when absent.")
    unlock: Unlock = Field(default_factory=Unlock)
