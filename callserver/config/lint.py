"""What loads and runs but is probably not what the file means: `check` prints these as
warnings (`--strict` refuses them), and a serve or reload logs them. Never an error, because
each can be meant: a source kept for its old calls, a number printed on a flyer too.

Each finding is sure, not a guess: a source is called unreachable only when an earlier one
asks for a subset of its conditions, so every visit it matches was matched first.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set

from callserver.config.errors import Found
from callserver.config.resolve import evaluation_order
from callserver.config.schema import Campaign, Config
from callserver.config.schema.sources import Source, SourceMatch
from callserver.config.source_claims import Claimant, source_claims

Condition = tuple[str, ...]
_UNUSED = (
    ("target", "targets", "never dialled: no routing, rule, IVR option or after-hours plan "
                          "lists it"),
    ("schedule", "schedules", "no campaign, number, pool or target follows it"),
    ("source", "sources", "no number or pool is credited to it"),
    ("publisher", "publishers", "no number or pool is assigned to it: its token sees nothing"),
)


def lint(config: Config, used: Mapping[str, Set[str]]) -> Iterator[Found]:
    """`used`: the names each kind of definition is referred to by (`Checker.used`)."""
    linked = any("publisher" in c.capture_params.values() for c in config.campaigns.values())
    for kind, defined, why in _UNUSED:
        if kind == "publisher" and linked:
            continue  # a landing URL may name any of them (`capture_params`)
        for name in getattr(config, defined):
            if name not in used.get(kind, ()):
                yield (defined, name), why, True
    yield from _unreachable_sources(config.sources)
    for name, campaign in config.campaigns.items():
        under = ("campaigns", name)
        for where, message, key in _unserved(campaign, config.sources):
            yield (*under, *where), message, key
        if campaign.capture_params and not campaign.pools:
            yield ((*under, "capture_params"), "the campaign has no pools: no call is ever "
                   "attributed to a visit, so nothing captured reaches a call", True)


def _unreachable_sources(sources: Mapping[str, Source]) -> Iterator[Found]:
    earlier: list[tuple[str, Source, frozenset[Condition]]] = []
    for name, source in evaluation_order(sources):
        assert source.match is not None  # the schema requires it of an onsite source
        mine = _conditions(source.match)
        if source.match.always is False:
            yield ("sources", name, "match", "always"), "`always: false`: never matched", False
            continue
        first = next(((n, s) for n, s, theirs in earlier if theirs <= mine), None)
        if first is not None:
            yield (("sources", name, "match"),
                   f"never matched: source '{first[0]}' comes first{_at(first[1])} and matches "
                   "every visit this one matches", False)
        earlier.append((name, source, mine))


def _conditions(match: SourceMatch) -> frozenset[Condition]:
    """A match as the set of conditions that must all hold; `always: true` adds none."""
    out: set[Condition] = set()
    for field in ("search", "direct", "referrer", "landing"):
        value = getattr(match, field)
        if value is not None:
            out.add((field, str(value)))
    out.update(("param", name, pattern) for name, pattern in (match.param or {}).items())
    return frozenset(out)


def _at(source: Source) -> str:
    return "" if source.position is None else f" (position {source.position})"


def _unserved(campaign: Campaign, sources: Mapping[str, Source]) -> Iterator[Found]:
    """A pool's listed source, or a static number's source, that another claimant is shown
    for first. A pool losing every source is already an error (`pool_checks`)."""
    claims = source_claims(campaign)
    for raw, number in campaign.numbers.items():
        source = sources.get(number.source or "")
        first = claims.by_source.get(number.source or "")
        if (source is not None and source.type == "onsite" and source.geo is None
                and first != Claimant("number", raw)):
            yield (("numbers", raw), f"never shown on the site: visits from '{number.source}' "
                                     f"are shown {first} first", True)
    for name, pool in campaign.pools.items():
        taken = claims.taken_from(name, pool.sources)
        if len(taken) == len(set(pool.sources)):
            continue
        for i, listed in enumerate(pool.sources):
            if listed in taken:
                yield (("pools", name, "sources", i), f"visits from '{listed}' are shown "
                       f"{taken[listed]} first: this pool never serves them", False)
