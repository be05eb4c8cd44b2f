"""Dashboard pages over plain HTTP: paging through the call log, refused filters, and the
webhook outbox with a parked delivery's error."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from callserver.store import calls, outbox
from callserver.store.delivery_values import Delivery, DeliveryStatus
from tests.dashboard.conftest import ACME, ADMIN, NOW, Client, Dash, acme, metro
from tests.reports.conftest import seed


async def test_the_call_log_pages_back_with_its_filters_kept(dash: Dash, client: Client) -> None:
    await seed(dash.store, *(acme(f"p{i:02}", (NOW - timedelta(days=2, minutes=i)).isoformat())
                             for i in range(60)))
    await client.sign_in(ADMIN)
    status, html = await client.get("/dashboard/calls?campaign=spring&status=answered")
    assert status == 200
    assert html.count("data-call=") == 50
    older = html.split('href="?')[-1].split('" id="older"')[0].replace("&amp;", "&")
    assert "campaign=spring" in older and "status=answered" in older
    _, rest = await client.get(f"/dashboard/calls?{older}")
    assert rest.count("data-call=") == 4 + 60 - 50 and 'id="older"' not in rest
    assert 'id="newest"' in rest


async def test_a_bad_filter_is_explained_not_a_crash(client: Client) -> None:
    await client.sign_in(ADMIN)
    for query, reason in (("status=ringing", "status: expected one of"),
                          ("from=yesterday", "from: expected ISO-8601"),
                          ("cursor=nonsense", "cursor: not a cursor"),
                          ("colour=red", "colour: unknown parameter")):
        status, html = await client.get(f"/dashboard/calls?{query}")
        assert status == 400 and reason in html, query
    status, html = await client.get("/dashboard/sources?to=2026-01-01&from=2026-02-01")
    assert status == 400 and "from: after to" in html


async def test_sources_and_campaigns_show_their_names(dash: Dash, client: Client) -> None:
    await seed(dash.store, acme("named", (NOW - timedelta(hours=1)).isoformat()))
    await client.sign_in(ADMIN)
    _, html = await client.get("/dashboard/sources")
    assert '<td>Google Ads &lt;paid&gt;</td>' in html and 'data-key="google-ads"' in html
    assert "<td>Spring sale</td>" in html and "<td>radio</td>" in html  # no name: its key
    assert 'id="publishers"' in html and "<td>Acme Media</td>" in html
    assert 'id="sub_ids"' in html and 'data-key="a1"' in html


async def test_the_pools_page_names_each_pool(client: Client) -> None:
    await client.sign_in(ADMIN)
    _, html = await client.get("/dashboard/pools")
    row = html.split('data-pool="spring/web"')[1].split("</tr>")[0]
    assert '<td data-col="name">Website &lt;DNI&gt; pool</td>' in row


async def test_calls_are_compared_by_the_values_of_a_tag(client: Client) -> None:
    def calls_by_value(html: str) -> dict[str, int]:
        table = html.split('<table id="tag">')[1].split("</table>")[0]
        return {key: int(n) for key, n in re.findall(
            r'data-key="([^"]+)">.*?data-col="calls">(\d+)<', table, re.S)}

    await client.sign_in(ADMIN)
    status, html = await client.get("/dashboard/sources?by_tag=channel")
    assert status == 200 and "<h2>By tag channel</h2>" in html
    assert calls_by_value(html) == {"radio": 2, "search": 4, "tv": 2}
    assert '<table id="tag">' not in (await client.get("/dashboard/sources"))[1]
    status, html = await client.get("/dashboard/sources?by_tag=chan%20nel")
    assert status == 400 and "by_tag: expected a tag name" in html
    await client.sign_in(ACME)
    _, mine = await client.get("/dashboard/sources?by_tag=channel")
    assert calls_by_value(mine) == {"search": 4}


async def test_a_publisher_sees_its_sub_ids_and_no_publishers_table(
        dash: Dash, client: Client) -> None:
    await seed(dash.store, acme("mine", (NOW - timedelta(hours=1)).isoformat()),
               metro("theirs", (NOW - timedelta(hours=1)).isoformat()))
    await client.sign_in(ACME)
    _, html = await client.get("/dashboard/sources")
    assert 'id="publishers"' not in html and "Metro" not in html
    sub_ids = html.split('id="sub_ids"')[1].split("</table>")[0]
    assert 'data-key="a1"' in sub_ids and 'data-key="m1"' not in sub_ids


async def test_the_admin_sees_revenue_and_margin_and_a_publisher_neither(
        dash: Dash, client: Client) -> None:
    sold = acme("sold", (NOW - timedelta(hours=1)).isoformat(), talk=90, converted=True)
    end = sold.end()
    assert end is not None
    await dash.store.write(calls.start, sold.call(), durable=True)
    await dash.store.write(calls.complete, "sold", replace(end, revenue=40.0, payout=15.0),
                           durable=True)
    await client.sign_in(ADMIN)
    _, html = await client.get("/dashboard/sources")
    row = html.split('data-key="google-ads"')[1].split("</tr>")[0]
    # 40 from the buyer, less 15 to acme and 12.50 for each of google-ads' five calls.
    assert 'data-col="revenue">40.00<' in row and 'data-col="margin">-37.50<' in row
    await client.sign_in(ACME)
    _, mine = await client.get("/dashboard/sources")
    assert 'data-col="revenue"' not in mine and 'data-col="margin"' not in mine


async def _park(dash: Dash, url: str = "https://crm.example/hook") -> None:
    """d1 parked with an error, d2 pending: both due after the app's clock, so its delivery
    worker leaves them alone until a retry makes d1 due again."""
    later = NOW + timedelta(days=1)
    parked = Delivery(id="d1", event="call.completed", url=url,
                      body="{}", created_at=NOW, next_attempt_at=later, call_id="a1")
    waiting = Delivery(id="d2", event="call.started", url=url,
                       body="{}", created_at=NOW, next_attempt_at=later + timedelta(days=1))
    await dash.store.write(outbox.enqueue, parked, durable=True)
    await dash.store.write(outbox.enqueue, waiting, durable=True)
    await dash.store.write(outbox.claim_due, later, timedelta(minutes=1), 10, durable=True)
    await dash.store.write(outbox.park, "d1", later, "HTTP 500 <b>from CRM</b>", durable=True)


async def test_the_webhooks_page_shows_parked_deliveries_with_their_errors(
        dash: Dash, client: Client) -> None:
    await _park(dash)
    await client.sign_in(ADMIN)
    _, html = await client.get("/dashboard/webhooks")
    assert 'data-delivery="d1"' in html and 'data-delivery="d2"' not in html
    assert "HTTP 500 &lt;b&gt;from CRM&lt;/b&gt;" in html
    assert 'href="/dashboard/calls/a1"' in html
    _, pending = await client.get("/dashboard/webhooks?status=pending")
    assert 'data-delivery="d2"' in pending and 'data-delivery="d1"' not in pending
    assert 'action="/dashboard/webhooks/d2/retry"' not in pending  # only parked ones


async def test_the_retry_button_requeues_a_parked_delivery_and_nothing_else_can(
        dash: Dash, client: Client) -> None:
    await _park(dash, url="http://127.0.0.1:9/hook")  # the discard port: a retry sends nowhere
    url = f"{client.base}/dashboard/webhooks/d1/retry"
    await client.sign_in(ACME)
    async with client.http.post(url, data={}, headers={"Origin": client.base},
                                allow_redirects=False) as response:
        assert response.status == 403  # a publisher's session
    await client.sign_in(ADMIN)
    _, html = await client.get("/dashboard/webhooks")
    assert 'action="/dashboard/webhooks/d1/retry"' in html
    token = html.split('name="form_token" value="')[1].split('"')[0]
    for data, origin in (({}, client.base), ({"form_token": token}, "https://evil.example")):
        async with client.http.post(url, data=data, headers={"Origin": origin},
                                    allow_redirects=False) as response:
            assert response.status == 403
    refused = await dash.store.read(outbox.get, "d1")
    assert refused is not None and refused.status is DeliveryStatus.PARKED
    async with client.http.post(url, data={"form_token": token}, headers={"Origin": client.base},
                                allow_redirects=False) as response:
        assert (response.status, response.headers["Location"]) == (303, "/dashboard/webhooks")
    again = await dash.store.read(outbox.get, "d1")
    assert again is not None and again.status is not DeliveryStatus.PARKED
