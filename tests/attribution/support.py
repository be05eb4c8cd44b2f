"""A config with every match mode and both touches, loaded as `callserver check` would."""

from __future__ import annotations

from pathlib import Path

from callserver.config.loader import parse_config
from callserver.config.resolve import ResolvedConfig

YAML = """
targets: {sales: {dial: "PJSIP/sales@pbx"}}
sources:
  google-ads: {type: onsite, position: 1, match: {param: {utm_source: "^google$"}}, touch: last}
  fb-landing: {type: onsite, position: 2, match: {landing: "[?&]fbclid="}}
  craigslist: {type: onsite, position: 3, match: {referrer: "craigslist\\\\.org"}, touch: last}
  organic:    {type: onsite, position: 5, match: {search: true}}
  referral:   {type: onsite, position: 6, match: {referrer: ".", search: false}}
  direct:     {type: onsite, position: 8, match: {direct: true}}
  website:    {type: onsite, position: 9, match: {always: true}}
  tv:         {type: offsite}
campaigns:
  spring:
    swap_target: "800-555-0100"
    sites: ["https://www.example.com", "http://shop.example.com:8080/"]
    routing: {targets: [{target: sales}]}
    numbers:
      "+18005550101": {source: google-ads}
      "+18005550102": {source: tv}
      "+18005550103": {}
    pools:
      ads: {sources: [craigslist, fb-landing], session_timeout: 600, numbers: ["+13125550110"]}
      rest: {session_timeout: 1200, fallback: "+13125550199", numbers: ["+13125550111"]}
      more: {sources: [website], numbers: ["+13125550112"]}
  quiet:
    routing: {targets: [{target: sales}]}
"""


def config() -> ResolvedConfig:
    return parse_config(YAML, "attribution.yaml", Path("/nonexistent/attribution.yaml"))
