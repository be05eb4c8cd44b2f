"""`callserver snippet`: the exact tag each swapping campaign's pages paste, and a clear refusal
for a campaign that could not swap."""

from __future__ import annotations

from pathlib import Path

import pytest

from callserver.cli import main

DEMO = str(Path(__file__).parents[2] / "examples" / "demo.yaml")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["snippet", "--config", DEMO, *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


@pytest.mark.parametrize("host", ["https://calls.example.com", "https://calls.example.com/"])
def test_prints_the_tag_of_each_campaign_that_swaps(host: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _run(capsys, "--host", host)
    assert code == 0
    assert lines == [
        "<!-- plumbing: on every page of https://www.example.com, https://example.com -->",
        '<script src="https://calls.example.com/swap.js" async '
        'data-campaign="plumbing"></script>']
    assert err == "insurance: no snippet: it has no swap_target (the number its pages print)\n"


@pytest.mark.parametrize(("args", "said"), [
    (["--host", "calls.example.com"], "must be an http(s) origin"),
    (["--host", "https://calls.example.com/api"], "must be an http(s) origin"),
    (["--host", "https://calls.example.com", "--campaign", "insurance"], "no swap_target"),
    (["--host", "https://calls.example.com", "--campaign", "nope"], "no campaign 'nope'"),
])
def test_refusals_exit_2(args: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _run(capsys, *args)
    assert code == 2 and lines == [] and said in err
