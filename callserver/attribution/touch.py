"""First and last touch: which source keeps the credit when a visitor comes back.

A first-touch source keeps a returning visitor's original source; a last-touch source that
matches a later visit takes the credit over. Moving between the site's own pages is not a new
visit, so it never moves the credit.
"""

from __future__ import annotations

from collections.abc import Mapping


def credited_source(matched: str | None, previous: str | None, *, internal: bool,
                    touch: Mapping[str, str]) -> str | None:
    """`touch` maps each source to "first" or "last"; `internal` is a referrer on the site."""
    if previous is None:
        return matched
    if internal or matched is None or matched == previous:
        return previous
    return matched if touch.get(matched) == "last" else previous
