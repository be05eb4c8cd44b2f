"""The AGI environment block that opens every FastAGI connection, as a value.

Asterisk sends `agi_name: value` lines ended by one empty line. `agi_network_script` is what
followed `host[:port]/` in `AGI(agi://...)`, query string included, so the script name used for
routing and the query arguments are split here, once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import parse_qsl

from callserver.asterisk.agi.errors import AgiProtocolError

_LINE = re.compile(r"(agi_\w+):(.*)\Z", re.DOTALL)
_ARG = re.compile(r"agi_arg_(\d+)\Z")
# Asterisk prints "unknown" where a caller id or dialled number is absent.
_ABSENT = frozenset({"", "unknown"})


@dataclass(frozen=True)
class AgiEnv:
    """Who is calling whom, and which script they asked for; `raw` keeps every line."""

    request: str
    channel: str
    uniqueid: str
    linkedid: str | None
    callerid: str | None
    calleridname: str | None
    dnid: str | None
    extension: str
    context: str
    script: str
    query: Mapping[str, str]
    args: tuple[str, ...]
    raw: Mapping[str, str]


def parse_env_line(line: str) -> tuple[str, str]:
    """One `agi_name: value` line; anything else means the peer is not Asterisk."""
    match = _LINE.match(line)
    if match is None:
        raise AgiProtocolError(f"not an AGI environment line: {line[:80]!r}")
    return match[1], match[2].removeprefix(" ")


def env_from_items(items: Iterable[tuple[str, str]]) -> AgiEnv:
    """Build the value from parsed lines; a later duplicate name wins, as in a dict."""
    raw = dict(items)
    script, _, query = raw.get("agi_network_script", "").partition("?")
    return AgiEnv(
        request=raw.get("agi_request", ""),
        channel=raw.get("agi_channel", ""),
        uniqueid=raw.get("agi_uniqueid", ""),
        linkedid=raw.get("agi_linkedid") or None,
        callerid=_present(raw.get("agi_callerid")),
        calleridname=_present(raw.get("agi_calleridname")),
        dnid=_present(raw.get("agi_dnid")),
        extension=raw.get("agi_extension", ""),
        context=raw.get("agi_context", ""),
        script=script,
        query=MappingProxyType(dict(parse_qsl(query, keep_blank_values=True))),
        args=_positional_args(raw),
        raw=MappingProxyType(raw),
    )


def _present(value: str | None) -> str | None:
    return None if value is None or value in _ABSENT else value


def _positional_args(raw: Mapping[str, str]) -> tuple[str, ...]:
    """`agi_arg_1..N` (the dialplan's `AGI(url,a,b)` arguments) in order, up to the first gap."""
    numbered = {int(m[1]): value for key, value in raw.items() if (m := _ARG.match(key))}
    args: list[str] = []
    while (len(args) + 1) in numbered:
        args.append(numbered[len(args) + 1])
    return tuple(args)
