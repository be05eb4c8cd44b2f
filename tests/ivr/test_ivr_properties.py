"""Properties of the IVR over random menus and random callers: it always ends, and no menu
collects more than `retries + 1` times per visit."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from callserver.config.schema.routing import IvrMenu
from callserver.ivr import Collect, Done, Play, start, step

KEYS = "0123456789*#"


def option(child: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={
        "tags": st.dictionaries(st.sampled_from(["dept", "line", "lang"]),
                                st.sampled_from(["a", "b", "c"]), max_size=2),
        "targets": st.lists(st.builds(dict, target=st.sampled_from(["x", "y", "z"])),
                            min_size=1, max_size=2),
        "menu": child,
    })


def menus(child: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({
        "prompt": st.sampled_from(["m1", "m2"]),
        "retries": st.integers(0, 3),
        "options": st.dictionaries(st.sampled_from(KEYS), option(child), min_size=1, max_size=3),
    }, optional={"default": option(child), "invalid_prompt": st.just("bad")})


MENUS = st.recursive(menus(st.nothing()), menus, max_leaves=6)
CALLER = st.lists(st.none() | st.just("") | st.just("12") | st.sampled_from(KEYS), max_size=40)


@given(MENUS.map(IvrMenu.model_validate), CALLER)
def test_ivr_ends_and_never_collects_more_than_retries_plus_one(
        menu: IvrMenu, keys: list[str | None]) -> None:
    state, action = start(menu)
    heard = iter(keys)
    visits = [1]
    for _ in range(1000):
        if isinstance(action, Done):
            break
        assert isinstance(action, Collect | Play)
        previous = state.menu
        state, action = step(state, next(heard, None))
        if isinstance(action, Collect | Play):
            if state.menu is previous:
                visits[-1] += 1
            else:
                visits.append(1)
            assert visits[-1] <= state.menu.retries + 1
    assert isinstance(action, Done)
    assert set(action.path) <= set(KEYS)
    if action.targets is not None:
        assert action.targets
