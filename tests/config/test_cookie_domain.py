"""`cookie_domain` must cover every site, or some pages could never read the shared id."""

from __future__ import annotations

from pathlib import Path

import pytest

from callserver.config.errors import ConfigError
from callserver.config.loader import parse_config

CAMPAIGN = "campaigns:\n  spring:\n    sites: [{sites}]\n    cookie_domain: {domain}\n"


@pytest.mark.parametrize("sites", ['"https://example.com"',
                                   '"https://www.example.com", "http://shop.example.com:8080"'])
def test_sites_on_the_domain_or_under_it_are_fine(sites: str, tmp_path: Path) -> None:
    config = parse_config(CAMPAIGN.format(sites=sites, domain="example.com"), "t.yaml",
                          tmp_path / "t.yaml")
    assert config.model.campaigns["spring"].cookie_domain == "example.com"


@pytest.mark.parametrize(("sites", "domain", "said"), [
    ('"https://notexample.com"', "example.com", "not every site is under example.com"),
    ("", "example.com", "lists no sites"),
    ('"https://www.example.com"', "Example.com", "expected a lower-case domain"),
])
def test_a_domain_that_does_not_cover_the_sites_is_refused(
        sites: str, domain: str, said: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(CAMPAIGN.format(sites=sites, domain=domain), "t.yaml", tmp_path / "t.yaml")
    [issue] = raised.value.issues
    assert issue.path == "campaigns.spring.cookie_domain" and said in issue.message
