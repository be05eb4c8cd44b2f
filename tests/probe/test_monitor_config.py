"""The `monitor:` section: read into the config, and every mistake named with its line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from callserver.config.loader import load_config
from tests.probe.conftest import CONFIG


def test_the_section_is_read_with_numbers_in_e164(tmp_path: Path) -> None:
    path = tmp_path / "callserver.yaml"
    path.write_text(CONFIG + """
monitor:
  server: pbx.example.com
  numbers: [{number: "(800) 555-0101", digits: "2#", expect_target: overflow}]
""")
    monitor = load_config(path).model.monitor
    assert monitor is not None and monitor.server == "pbx.example.com"
    assert (monitor.interval_s, monitor.retry_s, monitor.local_port) == (900, 60, 0)
    (number,) = monitor.numbers
    assert (number.number, number.digits, number.expect_target) == ("+18005550101", "2#",
                                                                     "overflow")


def test_check_names_each_mistake_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(CONFIG + """
monitor:
  server: "pbx example:5060"
  interval_s: 0
  numbers:
    - {number: "555", digits: "1x"}
""")
    done = subprocess.run([sys.executable, "-m", "callserver", "check", str(path)],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    lines = done.stdout.splitlines()
    assert any(":13: monitor.server: expected HOST:PORT" in line for line in lines), lines
    assert any(":14: monitor.interval_s: must be at least 1" in line for line in lines)
    assert any(":16: monitor.numbers[0].digits: expected keys 0-9, * and #" in line
               for line in lines)
    assert any(":16: monitor.numbers[0].number: '555' is not a valid phone number" in line
               for line in lines)


def test_check_refuses_a_number_no_campaign_routes_and_an_unknown_target(
        tmp_path: Path) -> None:
    """A test call that could only fail is a config error, named at its line."""
    path = tmp_path / "bad.yaml"
    path.write_text(CONFIG + """
monitor:
  server: pbx.example.com
  numbers:
    - {number: "(800) 555-0101", expect_target: overflow}
    - {number: "+13125550199"}
    - {number: "(800) 555-0101", expect_target: overflw}
""")
    done = subprocess.run([sys.executable, "-m", "callserver", "check", str(path)],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    lines = [line for line in done.stdout.splitlines() if "monitor" in line]
    assert len(lines) == 2, done.stdout
    assert ":16: monitor.numbers[1].number: +13125550199 is not a tracking number of any " \
           "campaign" in lines[0]
    assert ":17: monitor.numbers[2].expect_target: unknown target 'overflw'; did you mean " \
           "'overflow'?" in lines[1]
