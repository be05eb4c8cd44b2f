"""The patterns config strings must match, and what each asks for in words, so an error says
what was expected rather than a regular expression (config/translate.py uses the hints).
"""

from __future__ import annotations

from callserver.config.schema.sip import SIP_PATTERN

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
ENV_PATTERN = r"^[A-Z_][A-Z0-9_]*$"
TAG_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
DIGIT_PATTERN = r"^[0-9*#]$"
DIGITS_PATTERN = r"^[0-9*#]*$"
IVR_PATH_PATTERN = r"^[0-9*#]( [0-9*#])*$"
WHEN_PATTERN = r"^(tags\.[A-Za-z_][A-Za-z0-9_]*|caller|number|digits|source|publisher|sub_id)$"
GA4_PATTERN = r"^G-[A-Z0-9]+$"
DOMAIN_PATTERN = r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$"
PARAM_PATTERN = r"^[A-Za-z0-9_.\[\]-]{1,64}$"
CAPTURE_PATTERN = r"^(tags\.[A-Za-z_][A-Za-z0-9_]*|sub_id|publisher)$"
TRUNK_PATTERN = r"\{number\}"
HOSTPORT_PATTERN = r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$"

# What each pattern asks for, in words, for the error message when a value does not fit.
PATTERN_HINTS: dict[str, str] = {
    NAME_PATTERN: "expected a name of letters, digits, '_', '-' or '.'",
    ENV_PATTERN: "expected the NAME of an environment variable (A-Z, 0-9, _), never the "
                 "secret itself",
    TAG_PATTERN: "expected a tag name of letters, digits and '_'",
    DIGIT_PATTERN: "expected one key: 0-9, * or #",
    DIGITS_PATTERN: "expected keys 0-9, * and #",
    IVR_PATH_PATTERN: 'expected one key per menu level, apart by spaces, like "1" or "2 3"',
    WHEN_PATTERN: "expected tags.NAME, caller, number, digits, source, publisher or sub_id",
    GA4_PATTERN: "expected a GA4 measurement id like G-ABC123",
    DOMAIN_PATTERN: "expected a lower-case domain like example.com",
    PARAM_PATTERN: "expected a URL parameter name of letters, digits, '_', '-', '.' or []",
    CAPTURE_PATTERN: "expected tags.NAME, sub_id or publisher",
    SIP_PATTERN: "expected a SIP URI like sip:user@pbx.example.com",
    TRUNK_PATTERN: "expected a dial string containing {number}, like PJSIP/{number}@carrier",
    HOSTPORT_PATTERN: "expected HOST:PORT, like pbx.example.com:5060",
}
