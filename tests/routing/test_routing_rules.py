"""Rule matching: every `when` key, any-of equals, regex search, all conditions, first wins."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from callserver.config.schema.routing import Match, Rule
from callserver.routing import CallContext, choose_rule
from callserver.routing.rules import mismatch, value_of
from tests.routing.support import OPEN, inline, planned, rings

CALL = CallContext(call_id="c", number="+18005550101", campaign="c",
                   caller="+13125550100", tags={"channel": "tv", "dept": "sales"},
                   digits="12", source="tv", publisher="acme", sub_id="s-9", now=OPEN)


def rule(when: str) -> Rule:
    return Rule.model_validate({"when": yaml.safe_load(when), "targets": [{"target": "a"}]})


@pytest.mark.parametrize(("when", "why_not"), [
    ("{tags.channel: tv}", None),
    ("{tags.channel: [radio, tv]}", None),
    ("{tags.channel: radio}", "tags.channel 'tv' is not 'radio'"),
    ("{tags.channel: [radio, print]}", "tags.channel 'tv' is not one of 'radio', 'print'"),
    ("{tags.missing: x}", "tags.missing is not set"),
    ("{tags.channel: {regex: '^t'}}", None),
    ("{tags.dept: {regex: 'al'}}", None),
    ("{tags.dept: {regex: '^al'}}", "tags.dept 'sales' does not match /^al/"),
    ("{tags.dept: {equals: [sales], regex: 'x'}}", "tags.dept 'sales' does not match /x/"),
    ("{caller: '+13125550100'}", None),
    ("{caller: '(312) 555-0100'}", None),
    ("{caller: ['anonymous', '312.555.0100']}", None),
    ("{caller: {regex: '^\\+1312'}}", None),
    ("{caller: {regex: '^\\+1646'}}", "caller '+13125550100' does not match /^\\+1646/"),
    ("{number: '800-555-0101'}", None),
    ("{number: '+18005550102'}", "number '+18005550101' is not '+18005550102'"),
    ("{digits: '12'}", None),
    ("{digits: 12}", None),
    ("{digits: {regex: '^1'}}", None),
    ("{digits: '2'}", "digits '12' is not '2'"),
    ("{source: tv}", None),
    ("{publisher: acme}", None),
    ("{publisher: other}", "publisher 'acme' is not 'other'"),
    ("{sub_id: s-9}", None),
    ("{tags.channel: tv, caller: {regex: '^\\+1312'}, digits: '12'}", None),
    ("{tags.channel: tv, digits: '3'}", "digits '12' is not '3'"),
])
def test_conditions(when: str, why_not: str | None) -> None:
    choice = choose_rule([rule(when)], CALL)
    if why_not is None:
        assert choice.index == 0
        assert choice.reasons[-1].startswith("rule 0 matched: ")
    else:
        assert choice.index is None
        assert choice.reasons == (f"rule 0 not matched: {why_not}", "no rule matched")


def test_unset_attributes_never_match() -> None:
    anonymous = replace(CALL, source=None, publisher=None, sub_id=None, caller="")
    for key in ("source", "publisher", "sub_id"):
        assert mismatch(key, Match(regex=".*"), anonymous) == f"{key} is not set"
    assert mismatch("caller", Match(equals=["+13125550100"]), anonymous) == (
        "caller '' is not '+13125550100'")


def test_unknown_condition_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown rule condition"):
        value_of("colour", CALL)


def test_first_matching_rule_wins_and_earlier_misses_are_explained() -> None:
    rules = [rule("{tags.channel: radio}"), rule("{digits: '12'}"), rule("{source: tv}")]
    choice = choose_rule(rules, CALL)
    assert choice.index == 1
    assert choice.reasons == ("rule 0 not matched: tags.channel 'tv' is not 'radio'",
                              "rule 1 matched: digits is '12'")


def test_number_attributes_reach_the_rules(tmp_path: Path) -> None:
    """Tags, source, publisher and sub_id of the dialled number, as the config resolves them."""
    cfg = inline(
        tmp_path,
        "{targets: [{target: a}], rules: ["
        "{when: {sub_id: zz}, targets: [{target: b}]}, "
        "{when: {tags.spot: winter, source: tv, publisher: acme, sub_id: s1}, "
        " targets: [{target: c}, {target: d}], strategy: simultaneous}]}",
        number="{source: tv, publisher: acme, sub_id: s1, tags: {spot: winter}}")
    found = planned(cfg)
    assert (found.rule, found.strategy, rings(found)) == (1, "simultaneous", [["c", "d"]])
    assert found.rule_reason == ("rule 1 matched: tags.spot is 'winter', source is 'tv', "
                                 "publisher is 'acme', sub_id is 's1'")
    assert found.reasons[0] == "rule 0 not matched: sub_id 's1' is not 'zz'"
