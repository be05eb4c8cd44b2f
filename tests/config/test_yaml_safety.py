"""YAML goes through a safe loader: tags that would build Python objects are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from callserver.config.errors import ConfigError
from callserver.config.loader import parse_config


def test_python_tags_are_refused(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"campaigns: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "evil.yaml", tmp_path / "evil.yaml")
    assert not marker.exists()
    assert str(caught.value).startswith("evil.yaml:1: ")


def test_on_key_is_not_a_boolean(tmp_path: Path) -> None:
    text = """
campaigns:
  c:
    webhooks: [{on: call.completed, url: "https://crm.example/hook"}]
"""
    config = parse_config(text, "t.yaml", tmp_path / "t.yaml")
    assert config.campaign("c").webhooks[0].on == ["call.completed"]
