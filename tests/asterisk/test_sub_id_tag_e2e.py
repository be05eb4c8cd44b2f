"""A sub-affiliate written as a `sub_id` tag, as Retreaver's users write it (seed 002), is the
number's sub_id: a whole call over FastAGI routes on it and is recorded with it, for the
call log and `group=sub_id` reports."""

from __future__ import annotations

from pathlib import Path

from tests.asterisk.conftest import TUESDAY_NOON_CHICAGO, serving_text
from tests.peers.pbx import PbxCall

TAGGED, PLAIN = "+18005550101", "+18005550102"
CONFIG = f"""
timezone: America/Chicago
targets:
  a: {{dial: "PJSIP/a@pbx"}}
  b: {{dial: "PJSIP/b@pbx"}}
campaigns:
  c:
    routing:
      targets: [{{target: a}}]
      rules: [{{when: {{sub_id: aff-9}}, targets: [{{target: b}}]}}]
    numbers:
      "{TAGGED}": {{tags: {{sub_id: aff-9, channel: radio}}}}
      "{PLAIN}": {{tags: {{channel: radio}}}}
"""


async def test_a_sub_id_tag_routes_and_is_recorded_as_the_sub_id(tmp_path: Path) -> None:
    async with serving_text(CONFIG, tmp_path) as running:
        running.now = TUESDAY_NOON_CHICAGO
        answering = {"a@pbx": "answer", "b@pbx": "answer"}
        tagged = await PbxCall(running.agi_port, TAGGED, targets=answering).run()
        plain = await PbxCall(running.agi_port, PLAIN, targets=answering).run()
        recorded = {c.number: c for c in await running.settled()}

    assert [w[2].split(",")[0] for w in tagged.sent("EXEC Dial")] == ["PJSIP/b@pbx"]
    assert [w[2].split(",")[0] for w in plain.sent("EXEC Dial")] == ["PJSIP/a@pbx"]
    assert (recorded[TAGGED].sub_id, recorded[TAGGED].tags["sub_id"]) == ("aff-9", "aff-9")
    assert recorded[PLAIN].sub_id is None
