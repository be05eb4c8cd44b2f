"""Checks the schema cannot make alone: names that must exist, numbers used once, templates.

Runs on a config that passed the schema, so every value has its type; it only reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from callserver.config.analytics_checks import analytics_issues
from callserver.config.errors import ConfigIssue, Found, Path, dotted, unknown_name
from callserver.config.inherited_checks import InheritedChecks
from callserver.config.phone import to_e164
from callserver.config.pool_checks import pool_issues
from callserver.config.prompts import PromptLibrary
from callserver.config.schedule_checks import schedule_issues
from callserver.config.schema import Campaign, Config
from callserver.config.schema import Schedule as ScheduleModel
from callserver.config.schema.number_settings import NumberSettings
from callserver.config.site_checks import cookie_domain_issues
from callserver.config.yamlsource import LineMap
from callserver.config.zones import unzoned


@dataclass
class Checker(InheritedChecks):
    config: Config
    filename: str
    lines: LineMap
    prompts: PromptLibrary
    defined: dict[str, frozenset[str]]
    schema_errors: frozenset[str]  # dotted paths the schema already reported
    issues: list[ConfigIssue] = field(default_factory=list)
    numbers_seen: dict[str, Path] = field(default_factory=dict)
    number_keys: dict[tuple[str, str], str] = field(default_factory=dict)
    # every schedule, source, publisher and target a campaign, number, pool or routing names
    used: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def run(self) -> list[ConfigIssue]:
        for name, schedule in self.config.schedules.items():
            self._schedule(("schedules", name), schedule)
        for name, target in self.config.targets.items():
            self._ref("schedule", target.schedule, self.config.schedules, ("targets", name))
            if target.number and not self.config.trunk and not self._pruned(("trunk",)):
                self.add(("targets", name, "number"),
                         "a `number:` target needs `trunk:` at the top of the file")
        for name, campaign in self.config.campaigns.items():
            self._campaign(("campaigns", name), campaign)
        self._monitor()
        self._zones()
        return self.issues

    def add(self, path: Path, message: str, *, key: bool = False) -> None:
        self.issues.append(ConfigIssue(self.filename, self.lines.line(path, key=key),
                                       dotted(path), message))

    def _add_found(self, found: Iterable[Found], under: Path = ()) -> None:
        """The findings of a check module, `under` the path it was given, each unless the
        schema already cut what it is about."""
        for where, message, key in found:
            if not self._pruned((*under, *where)):
                self.add((*under, *where), message, key=key)

    def _pruned(self, path: Path) -> bool:
        """Whether the schema rejected (and so cut) something at or under `path`: an absence
        the cutting made is not the file's mistake, and its real error is already reported."""
        where = dotted(path)
        return any(p == where or p.startswith((f"{where}.", f"{where}["))
                   for p in self.schema_errors)

    def _ref(self, kind: str, name: str | None, known: Iterable[str], path: Path) -> None:
        if name is not None:
            self.used[kind].add(name)
        if name is not None and name not in known and name not in self.defined[kind]:
            self.add((*path, kind), unknown_name(kind, name, known))

    def _schedule(self, path: Path, schedule: ScheduleModel) -> None:
        self._add_found(schedule_issues(path, schedule, self.config.timezone))

    def _zones(self) -> None:
        """Hours of the day with no zone chosen (`zones.unzoned`); not when the schema
        already rejected a zone given, whose absence here is its doing."""
        if self._pruned(("timezone",)):
            return
        self._add_found(unzoned(self.config))

    def _campaign(self, path: Path, campaign: Campaign) -> None:
        self._ref("schedule", campaign.schedule, self.config.schedules, path)
        self._inheritable(path, campaign.routing, campaign.prompts, campaign.webhooks,
                          campaign.conversion)
        if campaign.ivr is not None:
            self._ivr((*path, "ivr"), campaign.ivr)
        if campaign.swap_target:
            self._claim(campaign.swap_target, (*path, "swap_target"))
        for raw, number in campaign.numbers.items():
            here = (*path, "numbers", raw)
            try:
                e164 = to_e164(raw)
            except ValueError as exc:
                self.add(here, str(exc), key=True)
                continue
            self._claim(e164, here, key=True)
            self._ref("source", number.source, self.config.sources, here)
            self._own(here, number)
        for name, pool in campaign.pools.items():
            here = (*path, "pools", name)
            for i, e164 in enumerate(pool.numbers):
                self._claim(e164, (*here, "numbers", i))
            if pool.fallback:
                self._claim(pool.fallback, (*here, "fallback"))
            self._own(here, pool)
            self.used["source"].update(pool.sources)
        self._add_found(pool_issues(campaign, self.config.sources, self.defined["source"]),
                        under=path)
        captured = None if self._pruned((*path, "capture_cookies")) else campaign.capture_cookies
        self._add_found(analytics_issues(campaign.analytics, captured), under=path)
        if not self._pruned((*path, "sites")):
            self._add_found(cookie_domain_issues(campaign), under=path)

    def _own(self, path: Path, own: NumberSettings) -> None:
        """What a static number or a pool sets for itself (`NumberSettings`)."""
        self._ref("publisher", own.publisher, self.config.publishers, path)
        self._ref("schedule", own.schedule, self.config.schedules, path)
        unlock = own.unlock
        self._inheritable((*path, "unlock"), unlock.routing, unlock.prompts, unlock.webhooks,
                          unlock.conversion)

    def _monitor(self) -> None:
        """A test call to a number no campaign routes, or expecting a target the file does
        not define, could only ever fail: say so at `check`, not at the first test call."""
        if self.config.monitor is None:
            return
        routed = {e164 for e164, path in self.numbers_seen.items() if path[-1] != "swap_target"}
        for i, watched in enumerate(self.config.monitor.numbers):
            here: Path = ("monitor", "numbers", i)
            if watched.number not in routed:
                self.add((*here, "number"), f"{watched.number} is not a tracking number of any "
                                            "campaign (numbers, pools or fallbacks)")
            target = watched.expect_target
            if (target is not None and target not in self.config.targets
                    and target not in self.defined["target"]):
                self.add((*here, "expect_target"),
                         unknown_name("target", target, self.config.targets))

    def _claim(self, e164: str, path: Path, *, key: bool = False) -> None:
        first = self.numbers_seen.get(e164)
        if first is None:
            self.numbers_seen[e164] = path
            return
        line = self.lines.line(first, key=True)
        self.add(path, f"number {e164} is already used at {dotted(first)} (line {line})",
                 key=key)
