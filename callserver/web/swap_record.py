"""The store's half of `POST /swap/session`: one function run inside the group commit, so that
reading the visitor's last session, renewing or taking a lease, and writing the session cost
the request a single hop and see each other's effects atomically."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from callserver.attribution.offers import CampaignSwap, PoolOffer
from callserver.attribution.request import SwapRequest
from callserver.attribution.session_plan import SessionPlan, plan_session
from callserver.attribution.visit import MAX_PARAM_CHARS, TRACKED_PARAMS, Visit
from callserver.config.schema.privacy import Attribution
from callserver.numbers.geo.nearest import Nearest
from callserver.numbers.geo.plan import Near
from callserver.store import leases, session_leases, sessions
from callserver.store.lease_again import lease_again
from callserver.store.leases import Lease
from callserver.store.near_leases import take_nearest
from callserver.store.sessions import VisitorSession


@dataclass(frozen=True)
class Ticket:
    """Everything the write needs, decided before it: ids are drawn, the IP already stored."""

    swap: CampaignSwap
    request: SwapRequest
    visit: Visit
    matched: str | None
    now: datetime
    new_visitor_id: str
    new_session_id: str
    ip: str | None
    user_agent: str | None
    limits: Attribution
    near: Near | None = None


# What became of the page view's lease, for the decision's log line: a pool number `taken` or
# `renewed`, or the fallback because the pool was `exhausted` or the client over its limits
# (`limited`); `static` and `none` (the page's own number) never lease, nor does a `crawler`.
LeaseOutcome = Literal["taken", "renewed", "exhausted", "limited", "static", "none", "crawler"]


@dataclass(frozen=True)
class Shown:
    """The answer: `session_id` is None when nothing was stored (a crawler)."""

    visitor_id: str
    session_id: str | None
    number: str | None
    source: str | None
    lease_expires_at: datetime | None
    renew_after_s: int | None
    lease: LeaseOutcome


def _tracking(session: VisitorSession) -> dict[str, str]:
    return {name: value for name in TRACKED_PARAMS
            if (value := getattr(session, name)) is not None}


def _captured(swap: CampaignSwap, visit: Visit) -> dict[str, str]:
    """The landing URL's values of the parameters the campaign captures, by destination."""
    return {to: visit.params[name][:MAX_PARAM_CHARS] for name, to in swap.capture_params
            if name in visit.params}


def record_page_view(conn: sqlite3.Connection, ticket: Ticket) -> Shown:
    swap, asked, now = ticket.swap, ticket.request, ticket.now
    visitor = asked.visitor_id or ticket.new_visitor_id
    prior = sessions.latest_for_visitor(conn, visitor, swap.name) if asked.visitor_id else None
    plan = plan_session(swap, ticket.visit, ticket.matched, prior, now, ticket.new_session_id)
    if plan.give_back is not None:
        leases.release(conn, plan.give_back, now, plan.session_id)
    number, expires, outcome = _number(conn, ticket, plan, visitor)
    inherited = prior if plan.inherits else None
    tracking = ticket.visit.tracking if inherited is None else _tracking(inherited)
    captured = (_captured(swap, ticket.visit) if inherited is None
                else dict(inherited.captured))
    sessions.record(conn, VisitorSession(
        session_id=plan.session_id, visitor_id=visitor, campaign=swap.name, first_seen=now,
        last_seen=now, source=plan.source, number=number,
        pool=plan.offer.key if isinstance(plan.offer, PoolOffer) else None,
        ip=ticket.ip, user_agent=ticket.user_agent, landing_url=asked.url,
        referrer=asked.referrer or None,
        cookies={k: v for k, v in asked.cookies.items() if k in swap.capture_cookies},
        page_views=asked.page_views, captured=captured, **tracking), retouched=plan.retouched)
    renew = (max(1, int(plan.offer.ttl.total_seconds()) // 2)
             if isinstance(plan.offer, PoolOffer) else None)
    return Shown(visitor, plan.session_id, number, plan.source, expires, renew, outcome)


def _number(conn: sqlite3.Connection, ticket: Ticket, plan: SessionPlan,
            visitor: str) -> tuple[str | None, datetime | None, LeaseOutcome]:
    """The session's pool number renewed, else (unless the client is over its limits) the
    returning visitor's last number again or a new one, else the fallback; a static number or
    the page's own without a lease."""
    offer = plan.offer
    near = ticket.near.numbers(offer, plan.source) if ticket.near else None
    if not isinstance(offer, PoolOffer):
        return ((near and near.first) or ticket.swap.shown_without_lease(offer), None,
                "none" if offer is None else "static")
    lease = None if plan.new else leases.renew(conn, offer.key, plan.session_id, ticket.now,
                                               offer.ttl, ticket.ip)
    if lease is not None:
        return lease.number, lease.expires_at, "renewed"
    if _over_limits(conn, ticket, visitor):
        return ticket.swap.shown_without_lease(offer), None, "limited"
    lease = _again(conn, ticket, plan, offer, near) or (
        leases.take(conn, offer.key, plan.session_id, ticket.now, offer.ttl, ticket.ip)
        if near is None else take_nearest(conn, offer.key, plan.session_id, ticket.now,
                                          offer.ttl, near.tiers(), ticket.ip))
    if lease is None:
        return ticket.swap.shown_without_lease(offer), None, "exhausted"
    return lease.number, lease.expires_at, "taken"


def _again(conn: sqlite3.Connection, ticket: Ticket, plan: SessionPlan, offer: PoolOffer,
           near: Nearest | None) -> Lease | None:
    """The returning visitor's last number, if still free; with `geo: nearest` only if it is
    as near as any (in the visitor's own state or province): a visitor who moved gets a
    number near where they are now."""
    if plan.again is None or (near is not None and plan.again not in near.same_region):
        return None
    return lease_again(conn, offer.key, plan.again, plan.session_id, ticket.now, offer.ttl,
                       ticket.ip)


def _over_limits(conn: sqlite3.Connection, ticket: Ticket, visitor: str) -> bool:
    limits = ticket.limits
    if ticket.ip is not None and (leases.held_by_ip(conn, ticket.ip, ticket.now)
                                  >= limits.leases_per_ip):
        return True
    return ticket.request.visitor_id is not None and session_leases.leases_held_by_visitor(
        conn, visitor, ticket.swap.name, ticket.now) >= limits.leases_per_visitor
