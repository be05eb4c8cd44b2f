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
