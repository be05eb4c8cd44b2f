"""The part of the reference checks that walks what a campaign or an unlocked number inherits:
routing, its rules and after-hours plan, IVR menus, prompts, webhooks and conversion targets.

A base of `references.Checker`, which holds the state it reads (`config`, `prompts`,
`defined`) and its `add` and `_ref`.
"""

from __future__ import annotations

from collections.abc import Iterable

from callserver.config.errors import Path, unknown_name
from callserver.config.prompts import PromptLibrary
from callserver.config.schema import Config, IvrMenu, Prompts, Routing, TargetRef, Webhook
from callserver.config.schema.number_routing import NumberRouting
from callserver.config.schema.routing import Conversion
from callserver.webhooks.checks import webhook_issues


class InheritedChecks:
    config: Config
    prompts: PromptLibrary
    defined: dict[str, frozenset[str]]

    def add(self, path: Path, message: str, *, key: bool = False) -> None:
        raise NotImplementedError

    def _ref(self, kind: str, name: str | None, known: Iterable[str], path: Path) -> None:
        raise NotImplementedError

    def _inheritable(self, path: Path, routing: Routing | None, prompts: Prompts | None,
                     webhooks: list[Webhook] | None, conversion: Conversion | None) -> None:
        for i, target in enumerate(conversion.targets if conversion is not None else ()):
            if target not in self.config.targets and target not in self.defined["target"]:
                self.add((*path, "conversion", "targets", i),
                         unknown_name("target", target, self.config.targets))
        if routing is not None:
            self._routing((*path, "routing"), routing)
        if prompts is not None:
            for role, name in prompts.model_dump().items():
                self._prompt(name, (*path, "prompts", role))
        for i, hook in enumerate(webhooks or ()):
            self._webhook((*path, "webhooks", i), hook)

    def _routing(self, path: Path, routing: Routing) -> None:
        self._targets((*path, "targets"), routing.targets)
        for i, rule in enumerate(routing.rules):
            self._targets((*path, "rules", i, "targets"), rule.targets)
        if routing.after_hours is not None:
            self._targets((*path, "after_hours", "targets"), routing.after_hours.targets)
        self._prompt(routing.no_target.prompt, (*path, "no_target", "prompt"))
        if isinstance(routing, NumberRouting) and isinstance(routing.ivr, IvrMenu):
            self._ivr((*path, "ivr"), routing.ivr)

    def _targets(self, path: Path, refs: list[TargetRef]) -> None:
        for i, ref in enumerate(refs):
            self._ref("target", ref.target, self.config.targets, (*path, i))

    def _ivr(self, path: Path, menu: IvrMenu) -> None:
        self._prompt(menu.prompt, (*path, "prompt"))
        self._prompt(menu.invalid_prompt, (*path, "invalid_prompt"))
        options = [((*path, "options", d), o) for d, o in menu.options.items()]
        if menu.default is not None:
            options.append(((*path, "default"), menu.default))
        for here, option in options:
            if option.targets is not None:
                self._targets((*here, "targets"), option.targets)
            if option.menu is not None:
                self._ivr((*here, "menu"), option.menu)

    def _prompt(self, name: str | None, path: Path) -> None:
        if name is not None and self.prompts.find(name) is None:
            self.add(path, unknown_name("prompt", name, self.prompts.names()))

    def _webhook(self, path: Path, hook: Webhook) -> None:
        campaign = str(path[1])  # ("campaigns", name, ...), for a campaign's or a number's hooks
        for where, message in webhook_issues(self.config, campaign, hook):
            self.add((*path, *where), message)
