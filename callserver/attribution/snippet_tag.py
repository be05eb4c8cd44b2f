"""The line a campaign's site pastes to swap numbers (seed 000: "this script is unique to your
company", found under Settings), for `callserver snippet` and the dashboard's Snippet page: the
same words in both, so nobody copies it from the README and misspells the campaign."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from callserver.config.schema import Campaign


def why_not(campaign: Campaign) -> str | None:
    """Why the campaign has no snippet; None when it can swap (a `swap_target` and `sites`)."""
    if campaign.swap_target is None:
        return "it has no swap_target (the number its pages print)"
    if not campaign.sites:
        return "it lists no sites (the origins whose pages may ask for a number)"
    return None


def script_tag(host: str, name: str) -> str:
    """`host` is this server's public origin, as `origin` gives it."""
    return (f'<script src="{html.escape(host)}/swap.js" async '
            f'data-campaign="{html.escape(name)}"></script>')


def sites_of(campaign: Campaign) -> str:
    return ", ".join(str(site).rstrip("/") for site in campaign.sites)


def origin(text: str) -> str | None:
    """`scheme://host[:port]` of an http(s) origin; None for anything else (a path, a query)."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        return None
    if parts.query or parts.fragment:
        return None
    return f"{parts.scheme}://{parts.netloc}"
