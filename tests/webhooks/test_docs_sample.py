"""The Salesforce Task mapping that docs/webhooks.md shows passes `callserver check` and renders
valid JSON for a call with and without a web session."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import aiohttp

from callserver.cli import main
from callserver.config.resolve import ResolvedConfig
from tests.webhooks.conftest import CONFIG, World, session

DOC = Path(__file__).parents[2] / "docs" / "webhooks.md"


def _sample() -> str:
    blocks: list[str] = re.findall(r"```yaml\n(webhooks:\n.*?)```", DOC.read_text(), re.S)
    (salesforce,) = [b for b in blocks if "salesforce/task" in b]
    return salesforce.replace("https://middleware.example.com", "BASE")


def _config() -> str:
    """The test config with the sample's entries added to the campaign's webhooks."""
    entries = "".join(f"    {line}\n" for line in _sample().splitlines()[1:])
    return CONFIG.replace("    webhooks:\n", "    webhooks:\n" + entries, 1)


def test_the_sample_passes_check(tmp_path: Path) -> None:
    path = tmp_path / "salesforce.yaml"
    path.write_text(_config().replace("BASE", "https://middleware.example.com"))
    assert main(["check", str(path)]) == 0


async def test_the_sample_renders_json_with_and_without_a_session(
        world: World, http: aiohttp.ClientSession,
        write_config: Callable[[str], ResolvedConfig]) -> None:
    world.config = write_config(_config())
    world.env["SF_HOOK_SECRET"] = "whsec_c2VjcmV0"
    await world.record(world.call(), "call.completed", session(_biz_uid="biz-7"))
    await world.record(replace(world.call(), id="no-session"), "call.completed")
    await world.worker(http).run_once()
    tasks = [json.loads(r.body) for r in world.receiver.at("/salesforce/task")]
    assert len(tasks) == 2
    by_id = {t["bizible2__Bizible_Id__c"]: t for t in tasks}
    assert by_id["biz-7"]["Merged_With_Web_Session__c"] is True
    assert by_id["biz-7"]["CallDurationInSeconds"] == 95
    assert by_id[None]["GCLID__c"] is None and by_id[None]["Type"] == "Call"
