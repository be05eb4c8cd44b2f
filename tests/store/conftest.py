from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from callserver.store import Store, open_store

NOW = datetime(2026, 3, 2, 15, 4, 5, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "callserver.sqlite3"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    opened = await open_store(db_path)
    yield opened
    await opened.close()
