"""The config file's shape, as pydantic models: one source for validation, JSON Schema and docs."""

from callserver.config.schema.campaign import Campaign, TrackingNumber
from callserver.config.schema.caps import Caps
from callserver.config.schema.number_settings import Unlock
from callserver.config.schema.pool import Pool
from callserver.config.schema.root import Config, Schedule, Target
from callserver.config.schema.routing import IvrMenu, IvrOption, Prompts, Routing, TargetRef
from callserver.config.schema.sources import Source
from callserver.config.schema.webhook import Webhook

__all__ = ["Campaign", "Caps", "Config", "IvrMenu", "IvrOption", "Pool", "Prompts", "Routing",
           "Schedule", "Source", "Target", "TargetRef", "TrackingNumber", "Unlock", "Webhook"]
