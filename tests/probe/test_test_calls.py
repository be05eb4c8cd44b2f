"""Which calls are test calls: those from `monitor.caller_id`, in any spelling the PBX sends;
none at all when no caller id is configured."""

from __future__ import annotations

from pathlib import Path

from callserver.config.loader import parse_config
from callserver.config.resolve import ResolvedConfig
from callserver.probe.test_calls import is_test_call
from tests.probe.conftest import CONFIG

MONITOR = """
monitor:
  server: pbx.example.com
  numbers: [{number: "+18005550101"}]
"""


def _config(tmp_path: Path, extra: str) -> ResolvedConfig:
    return parse_config(CONFIG + MONITOR + extra, "callserver.yaml", tmp_path / "callserver.yaml")


def test_a_call_from_the_caller_id_in_any_spelling_is_a_test_call(tmp_path: Path) -> None:
    config = _config(tmp_path, '  caller_id: "(312) 555-0999"\n')
    assert config.model.monitor is not None
    assert config.model.monitor.caller_id == "+13125550999"
    assert is_test_call(config, "+13125550999")
    assert is_test_call(config, "3125550999")
    assert not is_test_call(config, "+13125550998")
    assert not is_test_call(config, "anonymous")


def test_without_a_caller_id_no_call_is_a_test_call(tmp_path: Path) -> None:
    assert not is_test_call(_config(tmp_path, ""), "+13125550999")
    assert not is_test_call(parse_config(CONFIG, "c.yaml", tmp_path / "c.yaml"), "anonymous")
