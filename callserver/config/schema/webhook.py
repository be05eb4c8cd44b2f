"""The HTTP requests a call's events send: a campaign's, or a number's or pool's own."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from callserver.config.schema.base import EnvName, Strict, as_list
from callserver.config.schema.input_schema import ONE_OR_LIST

Event = Literal["call.started", "call.answered", "call.completed", "call.converted"]


class Webhook(Strict):
    """An HTTP request sent through the outbox when a call event happens."""

    on: Annotated[list[Event], BeforeValidator(as_list), ONE_OR_LIST] = Field(
        min_length=1, description="Events that fire it.")
    url: str = Field(description="Target URL; `{{ tokens }}` may fill in its path and query, "
                                 "never its scheme or host.")
    method: Literal["POST", "PUT", "GET"] = "POST"
    headers: dict[str, str] = Field(
        default_factory=dict, description="Header templates; sent as written, and kept in the "
                                          "outbox and shown by its API: never a credential.")
    body: str | None = Field(None, description="Jinja2 template (sandboxed); JSON by default.")
    secret_env: EnvName | None = Field(None, description="HMAC-SHA256 signing secret's variable.")
    headers_env: dict[str, EnvName] = Field(
        default_factory=dict, description="Header name to the variable holding its whole "
                                          "value (`Authorization: CRM_AUTH`, the variable set "
                                          "to `Bearer KEY`), read at send time, never stored.")
