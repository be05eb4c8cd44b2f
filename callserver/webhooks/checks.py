"""`callserver check` for webhooks: every template rendered against sample calls, at load time.

Two samples: an answered, converted call from a web session with a marketing id, rendered
strictly (an unknown token, attribute or filter is an error), and a call still ringing with no
session, rendered as a call would render it (so `{{ call.talk_seconds + 1 }}`, which breaks
while talk_seconds is empty, is caught here rather than at call time). Tags and cookies vary
by call, so the strict sample has every one of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from callserver.config.phone import facts
from callserver.config.resolve import NumberView
from callserver.config.schema import Caps, Config, Prompts, Routing, Webhook
from callserver.config.schema.routing import Conversion
from callserver.store.call_values import Call, CallEnd, CallStatus
from callserver.store.sessions import VisitorSession
from callserver.webhooks.context import TOKENS, call_context
from callserver.webhooks.header_checks import both_places
from callserver.webhooks.templates import problems, render
from callserver.webhooks.urls import templated_host, url_problem

Issue = tuple[tuple[str, ...], str]
_AT = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
_NUMBER = "+18005550101"


class _AnyKey(dict[str, Any]):
    """Tags and cookies in the strict sample: any name a template asks for is there."""

    def __missing__(self, key: str) -> str:
        return f"sample-{key}"


def webhook_issues(model: Config, campaign: str, hook: Webhook) -> list[Issue]:
    """Each problem of `hook`'s templates, with the field it is in (`url`, `body`,
    `headers`+name) relative to the webhook, and each header it gives twice."""
    samples = _samples(model, campaign)
    templates: list[tuple[tuple[str, ...], str]] = [(("url",), hook.url)]
    templates += [(("headers", name), value) for name, value in hook.headers.items()]
    if hook.body is not None:
        templates.append((("body",), hook.body))
    issues = [(where, message) for where, text in templates
              for message in problems(text, TOKENS, samples, strict_samples=1)]
    issues += both_places(hook)
    if not any(where == ("url",) for where, _ in issues):
        problem = templated_host(hook.url) or url_problem(render(hook.url, samples[0]))
        if problem is not None:
            issues.append((("url",), problem))
    return issues


def _samples(model: Config, campaign: str) -> list[Mapping[str, Any]]:
    view = _view(campaign)
    source = next(iter(model.sources), None)
    publisher = next(iter(model.publishers), None)
    marketing_id = model.campaigns[campaign].analytics.crm_id_cookie
    end = CallEnd(status=CallStatus.ANSWERED, ended_at=_AT + timedelta(minutes=3),
                  answered_at=_AT + timedelta(seconds=12), ring_seconds=12.0,
                  talk_seconds=168.0, answered_target="sales", hangup_cause="16",
                  recording="/var/spool/asterisk/monitor/callserver/sample.wav", converted=True)
    answered = Call(id="00000000-0000-4000-8000-000000000001", started_at=_AT, number=_NUMBER,
                    caller="+13125550123", campaign=campaign, source=source,
                    publisher=publisher, tags={"channel": "search"}, sub_id="sample-sub",
                    ivr_path=("1",), end=end)
    session = VisitorSession(
        session_id="sample-session", visitor_id="sample-visitor", campaign=campaign,
        first_seen=_AT - timedelta(minutes=10), last_seen=_AT, source=source, number=_NUMBER,
        landing_url="https://www.example.com/?utm_source=google", referrer="https://google.com/",
        utm_source="google", utm_medium="cpc", utm_campaign="spring", utm_term="plumber",
        utm_content="ad-1", gclid="sample-gclid", fbclid="sample-fbclid",
        msclkid="sample-msclkid", cookies={marketing_id: "sample-id", "_ga": "GA1.1.1.2"})
    strict = call_context(model, view, answered, session, "call.completed")
    strict["tags"] = _AnyKey(strict["tags"])
    strict["source"]["tags"] = _AnyKey(strict["source"]["tags"])
    strict["session"]["cookies"] = _AnyKey(strict["session"]["cookies"])
    ringing = Call(id=answered.id, started_at=_AT, number=_NUMBER, caller="anonymous",
                   campaign=campaign)
    return [strict, call_context(model, view, ringing, None, "call.started")]


def _view(campaign: str) -> NumberView:
    info = facts(_NUMBER)
    return NumberView(number=_NUMBER, kind=info.kind, country=info.country, region=info.region,
                      role="static", campaign=campaign, pool=None, source=None, publisher=None,
                      tags={}, sub_id=None, schedule=None, caps=Caps(), record=False,
                      routing=Routing(), prompts=Prompts(), conversion=Conversion(),
                      webhooks=(), unlocked=frozenset())
