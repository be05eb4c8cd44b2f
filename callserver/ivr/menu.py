"""An IVR menu as an immutable state machine that consumes keys.

`start` gives the first action; every later action comes from `step(state, keys)` with the
keys read for the last `Collect` (None or "" for silence). A `Play` carries the `Collect`
that follows it, so the flow calls `step` exactly once per collect. Each menu collects at
most `retries + 1` times before taking its `default` or giving up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from callserver.config.schema.routing import IvrMenu, IvrOption, TargetRef
from callserver.ivr.actions import Action, Collect, Done, Play

_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class MenuState:
    """Where a caller is: the menu on offer, the path that led there, what it gathered."""

    menu: IvrMenu
    invalid: str | None
    path: tuple[str, ...]
    tags: Mapping[str, str]
    targets: tuple[TargetRef, ...] | None
    collects: int = 1
    finished: bool = False


def start(menu: IvrMenu, invalid_prompt: str | None = None) -> tuple[MenuState, Action]:
    """Offer `menu`; `invalid_prompt` (the `prompts.invalid` role) is used where the menu
    names no `invalid_prompt` of its own."""
    state = MenuState(menu=menu, invalid=menu.invalid_prompt or invalid_prompt, path=(),
                      tags=_EMPTY, targets=None)
    return state, _collect(menu)


def step(state: MenuState, keys: str | None) -> tuple[MenuState, Action]:
    """Act on the keys read for the last collect."""
    if state.finished:
        raise ValueError("the IVR is finished; start a new menu")
    menu = state.menu
    if keys and keys in menu.options:
        return _take(state, menu.options[keys], (*state.path, keys), f"pressed {keys}")
    heard = f"invalid key {keys!r}" if keys else "no key"
    if state.collects <= menu.retries:
        again = replace(state, collects=state.collects + 1)
        collect = _collect(menu)
        return again, Play(state.invalid, collect) if state.invalid else collect
    tries = f"{heard} after {state.collects} {'try' if state.collects == 1 else 'tries'}"
    if menu.default is not None:
        return _take(state, menu.default, state.path, f"{tries}: default")
    return _finish(state, state.path, state.tags, state.targets, f"{tries}, no default")


def _take(state: MenuState, option: IvrOption, path: tuple[str, ...],
          why: str) -> tuple[MenuState, Action]:
    tags = MappingProxyType({**state.tags, **option.tags})
    targets = tuple(option.targets) if option.targets is not None else state.targets
    if option.menu is None:
        return _finish(state, path, tags, targets, why)
    deeper = MenuState(menu=option.menu, invalid=option.menu.invalid_prompt or state.invalid,
                       path=path, tags=tags, targets=targets)
    return deeper, _collect(option.menu)


def _finish(state: MenuState, path: tuple[str, ...], tags: Mapping[str, str],
            targets: tuple[TargetRef, ...] | None, why: str) -> tuple[MenuState, Done]:
    where = f"the menu after {'-'.join(state.path)}" if state.path else "the top menu"
    done = Done(path=path, tags=tags, targets=targets, reason=f"{why} at {where}")
    return replace(state, path=path, tags=tags, targets=targets, finished=True), done


def _collect(menu: IvrMenu) -> Collect:
    return Collect(prompt=menu.prompt, timeout_s=menu.timeout)
