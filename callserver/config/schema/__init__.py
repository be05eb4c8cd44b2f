"""The config file's shape, as pydantic models: one source for validation, JSON Schema and docs."""

from callserver.config.schema.base import Caps
from callserver.config.schema.campaign import Campaign, Pool, TrackingNumber, Unlock, Webhook
from callserver.config.schema.root import Config, Schedule, Target
from callserver.config.schema.routing import IvrMenu, IvrOption, Prompts, Routing, TargetRef
from callserver.config.schema.sources import Source

__all__ = ["Campaign", "Caps", "Config", "IvrMenu", "IvrOption", "Pool", "Prompts", "Routing",
           "Schedule", "Source", "Target", "TargetRef", "TrackingNumber", "Unlock", "Webhook"]
