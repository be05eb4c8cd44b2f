"""Where a delivery may go: http and https only, and a redirect only to the same host."""

from __future__ import annotations

from yarl import URL

SCHEMES = ("http", "https")


def url_problem(url: str) -> str | None:
    """Why a delivery cannot be sent to `url`, or None when it can."""
    try:
        parsed = URL(url)
    except (ValueError, TypeError) as exc:
        return f"bad URL {url!r}: {exc}"
    if parsed.scheme not in SCHEMES:
        return f"URL {url!r} is not http or https"
    if not parsed.host:
        return f"URL {url!r} has no host"
    return None


def same_host(origin: URL, target: URL) -> bool:
    """A redirect is followed only to the host the delivery was addressed to (any port, http or
    https): a receiver may move a path or upgrade to TLS, never hand the body to someone else."""
    return (target.scheme in SCHEMES and target.host is not None and origin.host is not None
            and target.host.lower() == origin.host.lower())
