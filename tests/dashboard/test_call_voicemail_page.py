"""The dashboard's call page shows a call's voicemail, the message file, as it shows its
recording; a call without one shows it blank."""

from __future__ import annotations

import re

from tests.dashboard.conftest import ADMIN, Client, Dash
from tests.reports.test_call_voicemail_api import MESSAGE, seed_voicemail


def _field(html: str, name: str) -> str:
    found = re.search(rf'<dd data-field="{name}">([^<]*)</dd>', html)
    assert found, name
    return found.group(1)


async def test_the_call_page_shows_the_voicemail(dash: Dash, client: Client) -> None:
    await seed_voicemail(dash.store)
    await client.sign_in(ADMIN)
    status, html = await client.get("/dashboard/calls/vm1")
    assert status == 200 and _field(html, "voicemail") == MESSAGE
    _, html = await client.get("/dashboard/calls/a1")
    assert _field(html, "voicemail") == _field(html, "recording")
