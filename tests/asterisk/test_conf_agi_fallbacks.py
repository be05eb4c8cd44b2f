"""Several FastAGI nodes: extensions.conf tries each `--agi-host` in order, going on to the
next only when AGI() could not reach one (AGISTATUS FAILURE), walked here step by step."""

from __future__ import annotations

import argparse
import re

import pytest

from callserver.asterisk import conf_command
from callserver.asterisk.conf import ConfOptions, render
from callserver.config.loader import load_config
from callserver.config.resolve import ResolvedConfig
from tests.asterisk.test_conf import DEMO, by_name, parse_conf

HOSTS = ("10.0.0.1", "10.0.0.2", "fd00::3")
URLS = tuple(f"agi://{h}:4573/inbound" for h in ("10.0.0.1", "10.0.0.2", "[fd00::3]"))
GOTO_IF = re.compile(r'GotoIf\(\$\["\$\{(\w+)\}" (!?=) "([^"]*)"\]\?(\w+)\)')
STEP = re.compile(r"^(?:[^,]+,)?(?:\d+|n)(?:\((\w+)\))?,(.*)$")


@pytest.fixture(scope="module")
def demo() -> ResolvedConfig:
    return load_config(DEMO)


def _steps(text: str) -> list[tuple[str | None, str]]:
    """(label, application) of the inbound extension, in priority order."""
    lines = by_name(parse_conf(text), "callserver-inbound").lines
    found = [STEP.match(value) for key, value in lines if key in ("exten", "same")]
    return [(m.group(1), m.group(2)) for m in found if m]


def _walk(text: str, status: dict[str, str], result: str = "") -> tuple[list[str], str]:
    """The AGI URLs a call tries and the application it ends on, given each AGI()'s status."""
    steps = _steps(text)
    labels = {label: i for i, (label, _) in enumerate(steps) if label}
    variables = {"CALLSERVER_RESULT": result}
    tried: list[str] = []
    i = 0
    while True:
        app = steps[i][1]
        if app.startswith(("Hangup(", "Congestion(")):
            return tried, app
        if app.startswith("AGI("):
            url = app.removeprefix("AGI(").removesuffix(")")
            tried.append(url)
            variables["AGISTATUS"] = status[url]
        goto = GOTO_IF.fullmatch(app)
        if goto:
            name, op, value, label = goto.groups()
            if (variables.get(name, "") == value) == (op == "="):
                i = labels[label]
                continue
        i += 1


def _extensions(demo: ResolvedConfig, hosts: tuple[str, ...]) -> str:
    return render(demo, ConfOptions(agi_hosts=hosts), {}).files["extensions.conf"]


def test_the_first_node_that_answers_takes_the_call(demo: ResolvedConfig) -> None:
    text = _extensions(demo, HOSTS)
    up = dict.fromkeys(URLS, "SUCCESS")
    assert _walk(text, up) == ([URLS[0]], "Hangup()")
    assert _walk(text, up | {URLS[0]: "FAILURE"}) == (list(URLS[:2]), "Hangup()")
    assert _walk(text, up | {URLS[0]: "FAILURE", URLS[1]: "FAILURE"}) == (list(URLS), "Hangup()")


def test_a_caller_hanging_up_is_not_retried_on_the_next_node(demo: ResolvedConfig) -> None:
    text = _extensions(demo, HOSTS)
    assert _walk(text, dict.fromkeys(URLS, "HANGUP")) == ([URLS[0]], "Hangup()")


def test_no_node_reachable_ends_in_congestion_after_trying_all(demo: ResolvedConfig) -> None:
    tried, end = _walk(_extensions(demo, HOSTS), dict.fromkeys(URLS, "FAILURE"))
    assert tried == list(URLS)
    assert end.startswith("Congestion(")


def test_an_unknown_number_is_refused_by_whichever_node_answered(demo: ResolvedConfig) -> None:
    text = _extensions(demo, HOSTS)
    status = dict.fromkeys(URLS, "SUCCESS") | {URLS[0]: "FAILURE"}
    tried, end = _walk(text, status, result="unknown-number")
    assert tried == list(URLS[:2])
    assert end.startswith("Congestion(")


def test_one_node_renders_one_agi_and_says_how_to_add_more(demo: ResolvedConfig) -> None:
    text = _extensions(demo, ("10.0.0.1",))
    assert [app for _, app in _steps(text) if app.startswith("AGI(")] == [f"AGI({URLS[0]})"]
    assert "(answered)" not in text
    assert "one --agi-host per node" in text


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="callserver")
    conf_command.add_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["asterisk-conf", "--config", str(DEMO), "--out", "x", *argv])


@pytest.mark.parametrize("argv", [
    ["--agi-host", "10.0.0.1", "--agi-host", "10.0.0.2", "--agi-host", "fd00::3"],
    ["--agi-host", "10.0.0.1,10.0.0.2", "--agi-host", "fd00::3"],
    ["--agi-host", "10.0.0.1, 10.0.0.2 ,fd00::3"],
])
def test_agi_host_repeats_or_takes_a_comma_list_in_order(argv: list[str]) -> None:
    assert conf_command.agi_hosts(_parse(argv).agi_host) == HOSTS


def test_no_agi_host_is_the_loopback_node() -> None:
    assert conf_command.agi_hosts(_parse([]).agi_host) == ("127.0.0.1",)
