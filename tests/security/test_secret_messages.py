"""Secrets never reach an error message: a malformed token setting is refused without quoting
the token, and a secret typed into the file where a variable's name belongs is not echoed."""

from __future__ import annotations

import aiohttp
import pytest

from callserver.settings import Secrets
from callserver.web.keys import LIVE
from tests.dashboard.conftest import ADMIN, Dash


@pytest.mark.parametrize("entry", [":s3cret-token", "s3cret-token", "acme s3cret-token:"])
def test_a_bad_publisher_token_entry_is_named_not_quoted(entry: str) -> None:
    with pytest.raises(ValueError) as refused:
        Secrets.from_env({"CALLSERVER_PUBLISHER_TOKENS": f"acme:fine-token,{entry}"})
    assert "s3cret" not in str(refused.value) and "fine-token" not in str(refused.value)
    assert "entry 2" in str(refused.value)


SECRET_FIELDS = [
    ("webhooks", 'webhooks: [{on: call.completed, url: "https://crm.example/h", '
                 'secret_env: "VALUE"}]'),
    ("ga4", "analytics: {ga4: {measurement_id: G-ABC123, api_secret_env: VALUE}}"),
    ("headers", 'webhooks: [{on: call.completed, url: "https://crm.example/h", '
                'headers_env: {Authorization: "VALUE"}}]'),
]


@pytest.mark.parametrize(("field", "line"), SECRET_FIELDS)
@pytest.mark.parametrize("secret", ["s3cr3t-Value!", "123456789", "lower_case_key"])
async def test_a_secret_typed_into_the_file_is_not_echoed_by_reload(
        dash: Dash, field: str, line: str, secret: str) -> None:
    config = dash.app[LIVE].path
    entry = line.replace("VALUE", secret)
    config.write_text(config.read_text().replace("  fall:\n", f"  fall:\n    {entry}\n"))
    async with aiohttp.ClientSession() as http, http.post(
            f"{dash.base}/api/config/reload",
            headers={"Authorization": f"Bearer {ADMIN}"}) as response:
        body = await response.text()
    assert response.status == 422, body
    assert "_env" in body and secret not in body, body
