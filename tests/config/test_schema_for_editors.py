"""`callserver schema` as an editor's YAML plugin uses it: it must accept every file `check`
accepts, shorthands included, and mark the field `check` blames in a file it rejects."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from callserver.config.reference import json_schema
from callserver.config.yamlsource import load_yaml
from tests.config import json_schema_check

ROOT = Path(__file__).parents[2]
BROKEN = Path(__file__).parent / "broken"
# Files whose one error is of the file's shape, which a JSON Schema can see.
SHAPE_ERRORS = ["unknown_key_did_you_mean", "unknown_key_no_hint", "unknown_top_key",
                "bad_strategy", "wrong_type_ring_timeout", "bad_ivr_digit", "secret_in_file",
                "bad_source_type", "negative_cap", "bad_webhook_event",
                "unlock_not_inheritable"]


def as_an_editor_reads(text: str) -> Any:
    """YAML 1.2, as editors parse it, has no date type: 2026-12-25 is a string there."""
    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {plain(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    return plain(load_yaml(text, "editor.yaml")[0])


def marks(text: str) -> list[tuple[str, str]]:
    return json_schema_check.errors(as_an_editor_reads(text), json_schema())


def test_the_demo_shows_no_marks() -> None:
    assert marks((ROOT / "examples" / "demo.yaml").read_text()) == []


def test_the_design_sample_with_its_shorthands_shows_no_marks() -> None:
    design = (ROOT / "docs" / "DESIGN.md").read_text()
    sample = re.search(r"```yaml\n(.*?)```", design, re.S)
    assert sample is not None
    text = sample.group(1)
    assert 'on: call.completed' in text and '"09:00-17:00"' in text  # the shorthands
    assert marks(text) == []


def test_single_values_where_lists_go_show_no_marks() -> None:
    text = """
timezone: UTC
schedules: {s: {open: {daily: "24h"}, special: {2026-12-24: "08:00-12:00"}}}
tags: {year: 2026, test: true}
campaigns:
  c:
    swap_target: 18005550100
    routing: {rules: [{when: {caller: "+13125550000", digits: [1, 2]}, targets: [{target: t}]}]}
    webhooks: [{on: call.completed, url: "https://crm.example/hook"}]
"""
    assert marks(text) == []


OFFICE = 'schedules:\n  office: {open: {mon-fri: "09:00-17:00"}%s}\ncampaigns: {c: {}}\n'


def test_the_editor_marks_a_schedule_with_no_zone_chosen() -> None:
    assert marks(OFFICE % "") == [("schedules.office", "needs ['timezone']")]
    assert marks(OFFICE % ", timezone: America/Chicago") == []
    assert marks("timezone: UTC\n" + OFFICE % "") == []


@pytest.mark.parametrize("name", SHAPE_ERRORS)
def test_the_editor_marks_the_field_check_blames(name: str) -> None:
    expected = (BROKEN / "expected.txt").read_text()
    [line] = [ln for ln in expected.splitlines() if ln.startswith(f"{name}.yaml:")]
    blamed = line.split(": ")[1]
    found = marks((BROKEN / f"{name}.yaml").read_text())
    assert found, "the editor would show this file as fine"
    assert any(blamed == path or blamed.startswith((f"{path}.", f"{path}["))
               for path, _ in found if path), (blamed, found)
