"""A malformed token setting is refused without quoting the token it holds."""

from __future__ import annotations

import pytest

from callserver.settings import Secrets


@pytest.mark.parametrize("entry", [":s3cret-token", "s3cret-token", "acme s3cret-token:"])
def test_a_bad_publisher_token_entry_is_named_not_quoted(entry: str) -> None:
    with pytest.raises(ValueError) as refused:
        Secrets.from_env({"CALLSERVER_PUBLISHER_TOKENS": f"acme:fine-token,{entry}"})
    assert "s3cret" not in str(refused.value) and "fine-token" not in str(refused.value)
    assert "entry 2" in str(refused.value)
