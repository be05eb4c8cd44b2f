"""Where a delivery may go: http and https only, to a host the URL template writes out, and a
redirect only to the same host."""

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


def templated_host(template: str) -> str | None:
    """Why `template` would let a call choose where its delivery goes: the scheme, host and port
    must be written out before any template syntax, so a caller id, tag or visit value rendered
    into the URL can change its path or query, never its host (`https://crm.example{{ x }}`
    with x = `.evil.example` or `@evil.example`); None when they are."""
    scheme, sep, rest = template.partition("://")
    ends = [at for at in (rest.find(mark) for mark in "/?#") if at >= 0]
    authority = f"{scheme}{sep}{rest[:min(ends, default=len(rest))]}"
    if not sep or any(syntax in authority for syntax in ("{{", "{%", "{#")):
        return (f"URL {template!r}: write the scheme and host out; a template may fill in its "
                "path and query only")
    return None


def same_host(origin: URL, target: URL) -> bool:
    """A redirect is followed only to the host the delivery was addressed to (any port, http or
    https): a receiver may move a path or upgrade to TLS, never hand the body to someone else."""
    return (target.scheme in SCHEMES and target.host is not None and origin.host is not None
            and target.host.lower() == origin.host.lower())
