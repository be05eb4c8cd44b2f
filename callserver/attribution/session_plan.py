"""One page view's decision: which session it belongs to, which source gets the credit, and
what the visitor is offered. Runs inside the store's write, next to the visitor's last session.

A session goes on while its page views come closer together than its timeout (the pool's
`session_timeout`, the lease's length, or 30 minutes without a pool); after that the visitor
starts a new session, still credited to the source first/last touch says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from callserver.attribution.offers import CampaignSwap, Offer, PoolOffer
from callserver.attribution.touch import credited_source
from callserver.attribution.visit import Visit, from_site


class PriorSession(Protocol):
    """What is needed of the visitor's latest session (a stored `VisitorSession` fits)."""

    @property
    def session_id(self) -> str: ...
    @property
    def source(self) -> str | None: ...
    @property
    def pool(self) -> str | None: ...
    @property
    def number(self) -> str | None: ...
    @property
    def last_seen(self) -> datetime: ...


@dataclass(frozen=True)
class SessionPlan:
    """`give_back`: a pool number the session holds but no longer shows (it moved pools).
    `again`: the number a returning visitor's last session was shown from the pool this new
    session is offered, to lease again if no one else holds it (seeds 000 and 004: the
    visitor keeps seeing the number they saw, and may have noted, until it is given away).

    Which touch's UTM tags and click ids the session keeps, so they always say why its source
    has the credit: `inherits`, a new session whose credit stays with the prior session's
    source (first touch), keeps the prior's; `retouched`, a session whose credit this page view
    moved (last touch), takes this visit's. Otherwise a session keeps what it landed with.
    """

    session_id: str
    new: bool
    source: str | None
    offer: Offer | None
    give_back: str | None
    inherits: bool = False
    retouched: bool = False
    again: str | None = None


def plan_session(swap: CampaignSwap, visit: Visit, matched: str | None,
                 prior: PriorSession | None, now: datetime, new_id: str) -> SessionPlan:
    internal = from_site(visit, swap.origins)
    source = credited_source(matched, prior.source if prior else None, internal=internal,
                             touch=swap.touch)
    offer = swap.offer(source)
    if prior is None:
        return SessionPlan(new_id, True, source, offer, None)
    if now - prior.last_seen >= swap.session_timeout(prior.pool):
        inherits = source is not None and source == prior.source and source != matched
        again = (prior.number if isinstance(offer, PoolOffer) and prior.pool == offer.key
                 else None)
        return SessionPlan(new_id, True, source, offer, None, inherits=inherits, again=again)
    pool = offer.key if isinstance(offer, PoolOffer) else None
    moved = prior.pool is not None and prior.pool != pool
    return SessionPlan(prior.session_id, False, source, offer, prior.number if moved else None,
                       retouched=source != prior.source)
