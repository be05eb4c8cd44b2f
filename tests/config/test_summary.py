"""`check`'s line per campaign counts the numbers that set their own call flow, a pool's too."""

from __future__ import annotations

from pathlib import Path

from callserver.config.loader import parse_config
from callserver.config.summary import campaign_lines

CAMPAIGN = """
targets: {sales: {dial: "PJSIP/sales@pbx"}, partner: {dial: "PJSIP/partner@pbx"}}
sources: {web: {type: onsite, match: {always: true}}}
campaigns:
  spring:
    routing: {targets: [{target: sales}]}
    swap_target: "800 555 0100"
    sites: ["https://www.example.com"]
    numbers:
      "800 555 0101": {unlock: {routing: {targets: [{target: partner}]}}}
      "800 555 0102": {}
    pools:
      site:
        sources: [web]
        numbers: ["800 555 0110", "800 555 0111"]
        fallback: "800 555 0119"
        unlock: {routing: {targets: [{target: partner}]}}
"""


def test_a_pool_unlocked_numbers_are_counted_without_its_fallback(tmp_path: Path) -> None:
    [line] = campaign_lines(parse_config(CAMPAIGN, "t.yaml", tmp_path / "t.yaml"))
    assert "2 static numbers; 1 pool (2 numbers)" in line
    assert line.endswith("; 3 unlocked")
