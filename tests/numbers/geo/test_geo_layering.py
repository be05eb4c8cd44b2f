"""The geo choice stays pure: only `lookup` and `locator` touch the database and the app."""

from __future__ import annotations

import pytest

from tests import test_layering as layering


@pytest.mark.parametrize("name", ["places.py", "nearest.py", "plan.py"])
def test_geo_decisions_import_no_edge(name: str) -> None:
    module = layering.PACKAGE / "numbers" / "geo" / name
    layering.test_decision_code_imports_no_edge(module)
    assert "maxminddb" not in module.read_text()
