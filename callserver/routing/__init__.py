"""Routing: a pure decision from a number's routing setting and a call to an ordered dial plan."""

from callserver.routing.context import CallContext, context_for
from callserver.routing.dial import dial_string, sip_endpoint
from callserver.routing.eligibility import Skip
from callserver.routing.ending import (
    Ending,
    after_hours,
    no_target,
    rings_after_hours,
    route,
    unanswered,
)
from callserver.routing.plan import DialPlan, Turn, plan, rotation_key
from callserver.routing.rules import RuleChoice, choose_rule
from callserver.routing.strategies import Attempt, weighted_ticket

__all__ = [
    "Attempt",
    "CallContext",
    "DialPlan",
    "Ending",
    "RuleChoice",
    "Skip",
    "Turn",
    "after_hours",
    "choose_rule",
    "context_for",
    "dial_string",
    "no_target",
    "plan",
    "rings_after_hours",
    "rotation_key",
    "route",
    "sip_endpoint",
    "unanswered",
    "weighted_ticket",
]
