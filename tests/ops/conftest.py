"""Fixtures for the operations tests: a fresh seeded server per test (`server`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ops.server import Server, ServerThread


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = ServerThread(tmp_path)
    try:
        yield running.start()
    finally:
        running.stop()
