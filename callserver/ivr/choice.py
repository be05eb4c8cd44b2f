"""Which menu a call hears: the number's own, when its unlocked routing names one, else the
campaign's. Part of the pure decisions: a function of the resolved settings alone."""

from __future__ import annotations

from callserver.config.schema.number_routing import NumberRouting
from callserver.config.schema.routing import IvrMenu, Routing


def menu_for(routing: Routing, campaign_menu: IvrMenu | None) -> IvrMenu | None:
    """`routing` is the number's resolved routing: a `NumberRouting` when it unlocked its own,
    whose `ivr` replaces the campaign's menu (`False`: none) unless it is left out."""
    own = routing.ivr if isinstance(routing, NumberRouting) else None
    if own is None:
        return campaign_menu
    return None if own is False else own
