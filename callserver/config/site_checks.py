"""A campaign's `cookie_domain` checked against its `sites`: a page can set a cookie only for its
own host or a domain its host is under, so a site outside the domain would silently keep its
own visitor id and split its visitors from the other sites'."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from callserver.config.errors import Found
from callserver.config.schema import Campaign


def cookie_domain_issues(campaign: Campaign) -> Iterator[Found]:
    domain = campaign.cookie_domain
    if domain is None:
        return
    outside = [str(site).rstrip("/") for site in campaign.sites
               if not _under(urlsplit(str(site)).hostname or "", domain)]
    if outside:
        yield (("cookie_domain",), f"not every site is under {domain}: {', '.join(outside)} "
                                   "could never read a cookie set there", False)
    if not campaign.sites:
        yield ("cookie_domain",), "the campaign lists no sites to share the cookie", False


def _under(host: str, domain: str) -> bool:
    return host == domain or host.endswith(f".{domain}")
