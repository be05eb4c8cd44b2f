"""Why a visit is credited to the source it is: each onsite source in evaluation order with the
conditions of its `match` that failed, up to the first whose conditions all hold. What
`callserver match` prints, so a regex is tried against a real URL before it goes live.

Each condition is judged by the matcher itself (`Rule.holds` on a rule keeping that condition
alone), so the explanation can never disagree with what the swap endpoint decides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from callserver.attribution.sources import Rule, Rules
from callserver.attribution.visit import Visit

_NONE = Rule(search=None, direct=None, always=None, referrer=None, landing=None, params=())


@dataclass(frozen=True)
class Verdict:
    source: str
    failed: tuple[str, ...]  # each failing condition, as the file writes it; empty: matched


def explain(rules: Rules, visit: Visit) -> list[Verdict]:
    verdicts = []
    for name, rule in rules:
        verdict = Verdict(name, tuple(said for said, alone in _conditions(rule, visit)
                                      if not alone.holds(visit)))
        verdicts.append(verdict)
        if not verdict.failed:
            break
    return verdicts


def _conditions(rule: Rule, visit: Visit) -> list[tuple[str, Rule]]:
    """Each condition of `rule` as written (a parameter's with the value the visit has), with
    a rule holding only it."""
    out: list[tuple[str, Rule]] = []
    for field in ("search", "direct", "always"):
        if (value := getattr(rule, field)) is not None:
            out.append((f"{field}: {str(value).lower()}", replace(_NONE, **{field: value})))
    for field in ("referrer", "landing"):
        if (pattern := getattr(rule, field)) is not None:
            out.append((f"{field}: '{pattern.pattern}'", replace(_NONE, **{field: pattern})))
    for param, pattern in rule.params:
        seen = visit.params.get(param)
        value = "absent" if seen is None else f"is {seen!r}"
        out.append((f"param {param}: '{pattern.pattern}' ({value})",
                    replace(_NONE, params=((param, pattern),))))
    return out
