"""Decisions stay pure: the decision modules import nothing from the edges."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "callserver"
DECISIONS = ["hours", "routing", "ivr", "flow.py", "flow_trace.py", "channel.py"]
EDGES = ("callserver.asterisk", "callserver.web", "callserver.store", "aiohttp", "aiosqlite",
         "sqlite3", "asyncio.subprocess", "socket")


def _modules(entry: str) -> list[Path]:
    path = PACKAGE / entry
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


@pytest.mark.parametrize("module", [m for e in DECISIONS for m in _modules(e)],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_decision_code_imports_no_edge(module: Path) -> None:
    tree = ast.parse(module.read_text())
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if name.startswith(EDGES)]
