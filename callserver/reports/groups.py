"""What a report groups calls by, as the SQL expression of each call's key.

Kind and region are facts of a number's digits, not columns: calls are grouped by number in
SQL and the number keys folded into kinds or regions afterwards, which also covers numbers a
later config no longer lists.

Visit groups are facts of the web visit a call was attributed to: its session's five UTM
values (utm_content tells an ad's variants apart), and its landing page (the landing URL up
to its query or fragment, so one page's visits from many ads and clicks count together).
The key is read from the call's session by its primary key; a call without a session has no
key. Cutting the URL uses only functions SQLite and
PostgreSQL share: `ltrim` by every other character of the URL leaves what starts at the first
`?` or `#`, and the page is what comes before that.
"""

from __future__ import annotations

from dataclasses import dataclass

from callserver.config.phone import facts, to_e164
from callserver.reports.filter_sql import tag_sql
from callserver.reports.filters import TAG_KEY, BadQuery
from callserver.reports.local_sql import LocalClock, Sql

COLUMNS = ("campaign", "source", "publisher", "sub_id", "number")
NUMBER_FACTS = ("kind", "region")
LOCAL = ("hour", "day")
_URL = "visit.landing_url"
_AFTER_PAGE = f"ltrim({_URL}, replace(replace({_URL}, '?', ''), '#', ''))"
VISIT = {"utm_campaign": "visit.utm_campaign", "utm_term": "visit.utm_term",
         "utm_source": "visit.utm_source", "utm_medium": "visit.utm_medium",
         "utm_content": "visit.utm_content",
         "landing_page": f"substr({_URL}, 1, length({_URL}) - length({_AFTER_PAGE}))"}
NAMES = (*COLUMNS, *NUMBER_FACTS, *LOCAL, *VISIT)


@dataclass(frozen=True)
class Group:
    """`name` as asked (`source`, `tag:channel`, `hour`); `tag` is the key of a tag group."""

    name: str
    tag: str | None = None

    def key(self, clock: LocalClock) -> Sql:
        if self.tag is not None:
            return tag_sql(self.tag)
        if self.name == "hour":
            return clock.hour()
        if self.name == "day":
            return clock.day()
        if self.name in VISIT:
            return (f"(SELECT {VISIT[self.name]} FROM visitor_sessions visit "
                    "WHERE visit.session_id = calls.session_id)"), ()
        return ("number" if self.name in NUMBER_FACTS else self.name), ()

    def relabel(self, key: str | None) -> str | None:
        """The key shown for a key SQL grouped by (a number's kind or region; else itself)."""
        if self.name not in NUMBER_FACTS or key is None:
            return key
        try:
            found = facts(to_e164(key))
        except ValueError:
            return "other" if self.name == "kind" else None
        return found.kind if self.name == "kind" else found.region or None


def parse_group(text: str) -> Group:
    if text in NAMES:
        return Group(text)
    prefix, colon, tag = text.partition(":")
    if prefix == "tag" and colon and TAG_KEY.match(tag):
        return Group(text, tag)
    raise BadQuery(f"group: expected one of {', '.join(NAMES)} or tag:KEY")
