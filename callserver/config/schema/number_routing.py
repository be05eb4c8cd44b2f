"""A number's own route settings: the campaign's routing fields plus the number's IVR menu.

The seed's Route Settings cover targets, IVR menus and routing logic, so a number that unlocks
`routing` may also replace (or turn off) the campaign's `ivr` there; the campaign itself keeps
its menu at `campaigns.NAME.ivr`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from callserver.config.schema.input_schema import InputSchema
from callserver.config.schema.routing import IvrMenu, Routing


class _MenuOrOff:
    """`false` turns the campaign's menu off; a mapping is a menu. An explicit `null` is
    refused rather than read as "inherit", which is what leaving the key out means."""

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> CoreSchema:
        def pick(value: Any, menu: core_schema.ValidatorFunctionWrapHandler) -> Any:
            if value is False:
                return False
            if value is None:
                raise ValueError("write `ivr: false` for no menu, or leave `ivr` out for the "
                                 "campaign's menu")
            if not isinstance(value, dict | IvrMenu):
                raise ValueError(f"expected a menu (prompt, options) or false, got {value!r}")
            return menu(value)

        return core_schema.no_info_wrap_validator_function(
            pick, handler.generate_schema(IvrMenu))


MenuOrOff = Annotated[IvrMenu | Literal[False] | None, _MenuOrOff(),
                      InputSchema(lambda schema: {"anyOf": [schema, {"const": False}]})]


class NumberRouting(Routing):
    """A number's own routing (under `unlock`): the campaign's routing fields, and its IVR."""

    ivr: MenuOrOff = Field(
        None, description="The number's own IVR menu, replacing the campaign's `ivr`; "
                          "`false`: no menu for this number. Left out: the campaign's menu.")
