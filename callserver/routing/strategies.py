"""The order in which eligible targets are tried: one function per routing strategy."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from callserver.routing.eligibility import Candidate


@dataclass(frozen=True)
class Attempt:
    """One dial: every target in it rings at once for `ring_timeout` seconds."""

    targets: tuple[str, ...]
    dial: tuple[str, ...]
    ring_timeout: int
    reason: str


@dataclass(frozen=True)
class Order:
    """`turns_used`: how far round robin's turn moved along the list, the target rung's own
    place and any skipped before it (0 for the other strategies, and when none may ring)."""

    attempts: tuple[Attempt, ...]
    reason: str
    turns_used: int = 0


def order(strategy: str, eligible: Sequence[Candidate], call_id: str, rotation: int,
          ring_timeout: int, listed: Sequence[str]) -> Order:
    """The attempts for `strategy`; an empty order when nothing is eligible. `listed` are
    the targets as configured (eligible or not): round-robin takes its turns over them."""
    if strategy not in _STRATEGIES:
        raise ValueError(f"unknown routing strategy {strategy!r}")
    if not eligible:
        return Order((), f"{strategy}: no eligible target")
    groups, reason = _STRATEGIES[strategy](eligible, call_id, rotation, listed)
    used = 0
    if strategy == "round_robin":  # its first group is the target the turn fell to
        used = (groups[0][0][0].position - rotation) % len(listed) + 1
    return Order(tuple(Attempt(tuple(c.name for c in group), tuple(c.dial for c in group),
                               ring_timeout, why) for group, why in groups), reason, used)


def weighted_ticket(call_id: str, total: int) -> int:
    """A number in [0, total) fixed by the call id: the same call always draws the same.

    SHA-256, not hash(): Python salts str hashes per process, and a replayed or simulated
    call must land where the real one did.
    """
    digest = int.from_bytes(hashlib.sha256(call_id.encode()).digest()[:8], "big")
    return digest * total >> 64


Groups = tuple[tuple[tuple[Candidate, ...], str], ...]


def _one_each(ranked: Sequence[tuple[Candidate, str]]) -> Groups:
    return tuple(((c,), why) for c, why in ranked)


def _priority(eligible: Sequence[Candidate], call_id: str, rotation: int,
              listed: Sequence[str]) -> tuple[Groups, str]:
    ranked = sorted(eligible, key=lambda c: (c.ref.priority, c.position))
    chain = ", then ".join(f"{c.name} (priority {c.ref.priority})" for c in ranked)
    return _one_each([(c, f"priority {c.ref.priority}") for c in ranked]), f"priority: {chain}"


def _walk(eligible: Sequence[Candidate], rotation: int,
          listed: Sequence[str]) -> tuple[int, list[Candidate]]:
    """Where the turn falls in the configured list, and the eligible targets walked from
    there in configured order: a skipped target does not shift the others' places."""
    start = rotation % len(listed)
    return start, sorted(eligible, key=lambda c: (c.position - start) % len(listed))


def _round_robin(eligible: Sequence[Candidate], call_id: str, rotation: int,
                 listed: Sequence[str]) -> tuple[Groups, str]:
    """The turn falls on a configured target, eligible or not; from there the list is walked
    to the next eligible one, and the next turn starts past it (`Order.turns_used`), so a
    target skipped now and then does not hand its turns to its neighbour (a closed: b, c, b,
    c; not b, b, c)."""
    start, ranked = _walk(eligible, rotation, listed)
    first = ranked[0]
    passed = (f"{listed[start]} (skipped) passed over, " if first.position != start else "")
    reason = (f"round_robin: rotation {rotation} falls on {listed[start]}, {start + 1} of "
              f"{len(listed)} listed; {passed}starts at {first.name}")
    return _one_each([(c, "rotation" if i == 0 else "failover")
                      for i, c in enumerate(ranked)]), reason


def _weighted(eligible: Sequence[Candidate], call_id: str, rotation: int,
              listed: Sequence[str]) -> tuple[Groups, str]:
    total = sum(c.ref.weight for c in eligible)
    ticket = weighted_ticket(call_id, total)
    for chosen in eligible:
        if ticket < chosen.ref.weight:
            break
        ticket -= chosen.ref.weight
    rest = sorted((c for c in eligible if c is not chosen), key=lambda c: -c.ref.weight)
    drawn = f"weight {chosen.ref.weight} of {total}"
    ranked = _one_each([(chosen, f"drawn by call id, {drawn}"),
                        *((c, f"failover, weight {c.ref.weight}") for c in rest)])
    then = f"; failover by weight: {', '.join(c.name for c in rest)}" if rest else ""
    return ranked, f"weighted: call id drew {chosen.name} ({drawn}){then}"


def _simultaneous(eligible: Sequence[Candidate], call_id: str, rotation: int,
                  listed: Sequence[str]) -> tuple[Groups, str]:
    names = ", ".join(c.name for c in eligible)
    return ((tuple(eligible), "ring all at once"),), f"simultaneous: ringing {names} at once"


Strategy = Callable[[Sequence[Candidate], str, int, Sequence[str]], tuple[Groups, str]]
_STRATEGIES: Mapping[str, Strategy] = {
    "priority": _priority,
    "round_robin": _round_robin,
    "weighted": _weighted,
    "simultaneous": _simultaneous,
}
