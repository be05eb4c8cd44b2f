"""examples/demo.yaml teaches by example: it must keep showing every part a new user needs."""

from __future__ import annotations

from pathlib import Path

from callserver.config.loader import load_config

DEMO = Path(__file__).parents[2] / "examples" / "demo.yaml"
SWAP_MODES = {"search", "referrer", "landing", "param", "direct", "always"}


def test_the_demo_shows_every_part_of_a_config() -> None:
    config = load_config(DEMO)
    model = config.model
    assert len(model.campaigns) >= 2 and len(model.publishers) >= 2 and model.targets
    assert len(model.sources) >= 5
    modes = {mode for source in model.sources.values() if source.match
             for mode, value in source.match.model_dump().items() if value}
    assert modes == SWAP_MODES
    assert any(s.type == "offsite" for s in model.sources.values())
    assert any(s.holidays for s in model.schedules.values())
    roles = {view.role for view in config.numbers.values()}
    assert {"static", "pool", "fallback"} <= roles
    assert any(view.unlocked for view in config.numbers.values())
    assert any(c.ivr for c in model.campaigns.values())
    assert any(c.webhooks for c in model.campaigns.values())


DEMO_VARIABLES = ("BUYER_A_SIP", "GA4_API_SECRET", "CRM_HOOK_SECRET")


def test_the_demo_has_nothing_to_warn_of_with_its_variables_set() -> None:
    assert load_config(DEMO, dict.fromkeys(DEMO_VARIABLES, "x")).warnings == ()


def test_without_them_the_demo_names_each_variable_it_needs() -> None:
    """`make run` says so at start: an unset one would fail later and quietly."""
    said = [w.message.split(" is not set")[0] for w in load_config(DEMO, {}).warnings]
    assert said == [f"environment variable {name}" for name in DEMO_VARIABLES]
