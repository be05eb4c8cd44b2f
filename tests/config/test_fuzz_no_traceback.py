"""No edit of a real config file, however wrong, gets anything but a ConfigError out of load."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callserver.config.errors import ConfigError
from callserver.config.loader import parse_config

DEMO_LINES = (Path(__file__).parents[2] / "examples" / "demo.yaml").read_text().splitlines()
JUNK = st.sampled_from(["", "-", ":", "{", "[", "]", "}", "'", '"', "!!python/none", "&a", "*a",
                        "-5", "1e999", "null", "~", "2026-02-30", "yes", "on", "25:00",
                        "(800)", "+1", "\t", "?", "|", ">", "%", "@", "`", "#"])


@st.composite
def edited(draw: st.DrawFn) -> str:
    lines = list(DEMO_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        match draw(st.sampled_from(["delete", "junk", "dup", "indent", "cut"])):
            case "delete":
                del lines[i]
            case "junk":
                pos = draw(st.integers(0, len(lines[i])))
                lines[i] = lines[i][:pos] + draw(JUNK) + lines[i][pos:]
            case "dup":
                lines.insert(i, lines[i])
            case "indent":
                lines[i] = "  " + lines[i]
            case "cut":
                lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_every_edit_loads_or_reports(text: str) -> None:
    try:
        parse_config(text, "demo.yaml", Path("/nonexistent/demo.yaml"))
    except ConfigError as exc:
        assert exc.issues
        for issue in exc.issues:
            assert str(issue).startswith("demo.yaml:")
            assert issue.line >= 1
