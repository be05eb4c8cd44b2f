"""What a static number and a pool set for their calls, in place of the campaign's.

One model for both, so a pool's numbers have the same call flow, hours, caps, recording and
sub_id a static number can have (the seeds give a traffic partner's pool its own call flow).
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from callserver.config.schema.base import Name, Strict, Tags
from callserver.config.schema.caps import Caps
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
    sub_id: str | None = Field(
        None, description="Sub-affiliate id within the publisher; a `sub_id` tag says the same "
                          "(one of the two, or both alike).")
    schedule: Name | None = Field(None, description="Its own business hours.")
    caps: Caps = Field(
        default_factory=Caps,
        description="Caps on calls to the number. A pool's apply to each of its numbers (and "
                    "its fallback) on its own, as a static number's do: they are not a total "
                    "over the pool; the campaign's caps count every number it has.")
    record: bool | None = Field(None, description="Record its calls; the campaign's when absent.")
    unlock: Unlock = Field(default_factory=Unlock)

    @model_validator(mode="after")
    def _one_sub_id(self) -> Self:
        """Retreaver's users write the sub-affiliate as a `sub_id` tag, which is the sub_id
        (`given_sub_id`): the two spellings may not name two different ones."""
        tagged = self.tags.get("sub_id")
        if tagged is not None and self.sub_id is not None and tagged != self.sub_id:
            raise ValueError(f"sub_id {self.sub_id!r} and tags.sub_id {tagged!r} differ; "
                             "give the sub-affiliate once")
        return self

    @property
    def given_sub_id(self) -> str | None:
        """`sub_id`, else the `sub_id` tag."""
        return self.sub_id if self.sub_id is not None else self.tags.get("sub_id")
