"""The IVR state machine, one key sequence at a time, on demo.yaml's menu and inline menus."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from callserver.config.loader import load_config
from callserver.config.schema.routing import IvrMenu, IvrOption
from callserver.ivr import Action, Collect, Done, MenuState, Play, start, step

DEMO = Path(__file__).parents[2] / "examples" / "demo.yaml"

NESTED = """
prompt: top
retries: 1
invalid_prompt: oops
options:
  "1":
    tags: {dept: sales}
    targets: [{target: a}]
    menu:
      prompt: sales-menu
      timeout: 7
      retries: 0
      options:
        "2": {tags: {line: b}, targets: [{target: b}]}
        "3": {tags: {line: c}}
        "#": {tags: {dept: override}}
  "2": {tags: {dept: support}}
default:
  tags: {dept: lost}
  menu:
    prompt: last-chance
    options: {"0": {targets: [{target: operator}]}}
"""


def menu(text: str) -> IvrMenu:
    return IvrMenu.model_validate(yaml.safe_load(text))


@pytest.fixture(scope="module")
def demo_menu() -> IvrMenu:
    found = load_config(DEMO).campaign("plumbing").ivr
    assert found is not None
    return found


def run(start_state: tuple[MenuState, Action], keys: Sequence[str | None]) -> list[Action]:
    """Feed keys one per collect; return every action, the first included."""
    state, action = start_state
    actions = [action]
    for key in keys:
        state, action = step(state, key)
        actions.append(action)
    return actions


def done_facts(action: Action) -> tuple[Any, ...]:
    assert isinstance(action, Done)
    targets = None if action.targets is None else [t.target for t in action.targets]
    return action.path, dict(action.tags), targets, action.reason


MENU = Collect("menu", 5)
AGAIN = Play("invalid", MENU)


@pytest.mark.parametrize(("keys", "middle", "done"), [
    (["1"], [], (("1",), {"dept": "sales"}, None, "pressed 1 at the top menu")),
    (["2"], [], (("2",), {"dept": "support"}, ["overflow"], "pressed 2 at the top menu")),
    ([None, "2"], [AGAIN], (("2",), {"dept": "support"}, ["overflow"],
                            "pressed 2 at the top menu")),
    (["", "7", "1"], [AGAIN, AGAIN], (("1",), {"dept": "sales"}, None,
                                      "pressed 1 at the top menu")),
    (["9", None, "12"], [AGAIN, AGAIN],
     ((), {"dept": "sales"}, None, "invalid key '12' after 3 tries: default at the top menu")),
    ([None, None, None], [AGAIN, AGAIN], ((), {"dept": "sales"}, None,
                                          "no key after 3 tries: default at the top menu")),
])
def test_demo_menu(demo_menu: IvrMenu, keys: list[str | None], middle: list[Action],
                   done: tuple[Any, ...]) -> None:
    actions = run(start(demo_menu), keys)
    assert actions[0] == MENU
    assert actions[1:-1] == middle
    assert done_facts(actions[-1]) == done


@pytest.mark.parametrize(("keys", "prompts", "done"), [
    (["1", "2"], ["top", "sales-menu"],
     (("1", "2"), {"dept": "sales", "line": "b"}, ["b"], "pressed 2 at the menu after 1")),
    (["1", "3"], ["top", "sales-menu"],
     (("1", "3"), {"dept": "sales", "line": "c"}, ["a"], "pressed 3 at the menu after 1")),
    (["1", "#"], ["top", "sales-menu"],
     (("1", "#"), {"dept": "override"}, ["a"], "pressed # at the menu after 1")),
    (["1", None], ["top", "sales-menu"],
     (("1",), {"dept": "sales"}, ["a"], "no key after 1 try, no default at the menu after 1")),
    (["5", "5", "0"], ["top", "oops", "last-chance"],
     (("0",), {"dept": "lost"}, ["operator"], "pressed 0 at the top menu")),
    ([None, None, "1", "1", "0"], ["top", "oops", "last-chance", "oops", "oops"],
     (("0",), {"dept": "lost"}, ["operator"], "pressed 0 at the top menu")),
])
def test_nested_menus(keys: list[str | None], prompts: list[str],
                      done: tuple[Any, ...]) -> None:
    """Tags gather down the path, later keys overriding; the deepest targets win; a default
    may open a menu of its own, and sub-menus without an invalid prompt use the parent's."""
    actions = run(start(menu(NESTED)), keys)
    assert [a.prompt for a in actions[:-1] if isinstance(a, Collect | Play)] == prompts
    assert done_facts(actions[-1]) == done


def test_sub_menu_keeps_its_own_timeout() -> None:
    state, _ = start(menu(NESTED))
    _, action = step(state, "1")
    assert action == Collect("sales-menu", 7, max_digits=1)


@pytest.mark.parametrize(("own", "fallback", "after_bad_key"), [
    ("own", "role", Play("own", Collect("m", 5))),
    (None, "role", Play("role", Collect("m", 5))),
    (None, None, Collect("m", 5)),
])
def test_invalid_prompt_falls_back_to_the_prompts_role(
        own: str | None, fallback: str | None, after_bad_key: Action) -> None:
    state, _ = start(IvrMenu(prompt="m", options={"1": IvrOption()}, invalid_prompt=own), fallback)
    assert step(state, "9")[1] == after_bad_key


def test_no_retries_takes_the_default_at_once() -> None:
    state, _ = start(menu('{prompt: m, retries: 0, options: {"1": {}}, default: {tags: {a: b}}}'))
    _, action = step(state, None)
    assert done_facts(action) == ((), {"a": "b"}, None,
                                  "no key after 1 try: default at the top menu")


def test_a_finished_menu_takes_no_more_keys(demo_menu: IvrMenu) -> None:
    state, _ = start(demo_menu)
    state, action = step(state, "1")
    assert isinstance(action, Done)
    with pytest.raises(ValueError, match="finished"):
        step(state, "1")
