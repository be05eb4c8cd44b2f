"""Which menu a call hears: a number that unlocks its routing may replace the campaign's IVR
(`unlock.routing.ivr`) or turn it off (`ivr: false`); without one it keeps the campaign's."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from callserver.config.errors import ConfigError, ConfigIssue
from callserver.config.loader import parse_config
from callserver.config.resolve import ResolvedConfig
from callserver.ivr import menu_for

CAMPAIGN_MENU = '{prompt: menu, options: {"1": {tags: {dept: sales}}}}'
OWN_MENU = '{prompt: tv-offer, options: {"1": {targets: [{target: b}]}}}'


def config(tmp_path: Path, unlock: str) -> ResolvedConfig:
    text = textwrap.dedent("""\
        targets:
          a: {dial: "PJSIP/a@pbx"}
          b: {dial: "PJSIP/b@pbx"}
        campaigns:
          c:
            routing: {targets: [{target: a}]}
            ivr: %s
            numbers:
              "8005550101": {}
              "8005550102":
                unlock: %s
        """) % (CAMPAIGN_MENU, unlock)
    return parse_config(text, "t.yaml", tmp_path / "t.yaml")


def menu_prompt(config: ResolvedConfig, number: str) -> str | None:
    view = config.lookup(number)
    assert view is not None
    menu = menu_for(view.routing, config.campaign(view.campaign).ivr)
    return menu.prompt if menu is not None else None


@pytest.mark.parametrize(("unlock", "prompt"), [
    ("{prompts: {greeting: welcome}}", "menu"),
    ("{routing: {targets: [{target: b}]}}", "menu"),
    (f"{{routing: {{targets: [{{target: b}}], ivr: {OWN_MENU}}}}}", "tv-offer"),
    ("{routing: {targets: [{target: b}], ivr: false}}", None),
])
def test_the_menu_a_number_hears(tmp_path: Path, unlock: str, prompt: str | None) -> None:
    cfg = config(tmp_path, unlock)
    assert menu_prompt(cfg, "+18005550101") == "menu"
    assert menu_prompt(cfg, "+18005550102") == prompt


def test_the_numbers_menu_options_are_its_own(tmp_path: Path) -> None:
    cfg = config(tmp_path, f"{{routing: {{targets: [{{target: a}}], ivr: {OWN_MENU}}}}}")
    view = cfg.lookup("+18005550102")
    assert view is not None
    menu = menu_for(view.routing, cfg.campaign("c").ivr)
    assert menu is not None
    assert [t.target for t in menu.options["1"].targets or ()] == ["b"]


def issues(tmp_path: Path, unlock: str) -> list[ConfigIssue]:
    with pytest.raises(ConfigError) as raised:
        config(tmp_path, unlock)
    return list(raised.value.issues)


HERE = "campaigns.c.numbers.8005550102.unlock.routing.ivr"


@pytest.mark.parametrize(("ivr", "path", "message"), [
    ('{prompt: tv-offer, options: {"1": {targets: [{target: bb}]}}}',
     f"{HERE}.options.1.targets[0].target", "unknown target 'bb'; did you mean 'b'?"),
    ('{prompt: tv-offr, options: {"1": {}}}', f"{HERE}.prompt",
     "unknown prompt 'tv-offr'; did you mean 'tv-offer'?"),
    ('{prompt: menu, options: {"1": {menu: {prompt: menu, options: {"2": '
     '{targets: [{target: z}]}}}}}}',
     f"{HERE}.options.1.menu.options.2.targets[0].target", "unknown target 'z'; defined: a, b"),
    ('{prompt: menu, options: {"12": {}}}', f"{HERE}.options.12",
     "expected one key: 0-9, * or #, got '12'"),
    ("null", HERE, "write `ivr: false` for no menu, or leave `ivr` out for the campaign's menu"),
    ("true", HERE, "expected a menu (prompt, options) or false, got True"),
])
def test_a_bad_number_menu_names_file_line_and_field(tmp_path: Path, ivr: str, path: str,
                                                     message: str) -> None:
    [issue] = issues(tmp_path, f"{{routing: {{targets: [{{target: a}}], ivr: {ivr}}}}}")
    assert (issue.file, issue.line, issue.path, issue.message) == ("t.yaml", 11, path, message)


def test_a_menu_beside_routing_is_not_an_unlockable_setting(tmp_path: Path) -> None:
    [issue] = issues(tmp_path, f"{{ivr: {OWN_MENU}}}")
    assert issue.path == "campaigns.c.numbers.8005550102.unlock.ivr"
    assert issue.message.startswith("'ivr' cannot be unlocked")
    assert issue.message.endswith("its own menu goes under unlock.routing.ivr")
