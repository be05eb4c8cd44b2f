"""Which target a dialled leg belongs to, from what DialBegin says about it.

app_dial.c publishes DialBegin with `DialString` set to the resource part of the dial string
(what follows `TECH/`: `sales@pbx` for `PJSIP/sales@pbx`), so that field names the target
exactly. The channel name alone is weaker: chan_pjsip names a channel after its endpoint,
which for `PJSIP/user@endpoint[/uri]` is the part after `@` (`PJSIP/+13125550111@carrier`
rings as `PJSIP/carrier-0000abcd`), and several targets may share one trunk. So the name is
used only when DialString is absent (a channel listing) and exactly one target fits it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# `PJSIP/pbx-0000000a`, `Local/100@ctx-0000000b;1`: the device, then Asterisk's sequence.
_CHANNEL = re.compile(r"(?P<device>.+)-[0-9a-f]{8}(;\d)?")


def target_of(dials: Mapping[str, str], dial_string: str, channel: str) -> str | None:
    """The target name for a leg; `dials` maps each dial string dialled to its target."""
    if dial_string:
        for dial, name in dials.items():
            if dial_string in (dial, resource(dial)):
                return name
    device = channel_device(channel)
    fitting = {name for dial, name in dials.items() if dial_device(dial) == device}
    return fitting.pop() if len(fitting) == 1 else None


def resource(dial: str) -> str:
    """`PJSIP/sales@pbx` -> `sales@pbx`: what Asterisk reports as DialBegin's DialString."""
    return dial.partition("/")[2]


def dial_device(dial: str) -> str:
    """The device a dial string rings, spelt as a channel name is: `pjsip/pbx`, `local/1@ctx`."""
    tech, _, rest = dial.partition("/")
    head = rest.split("/", 1)[0]
    if tech.lower() != "local":
        head = head.rpartition("@")[2]
    return f"{tech.lower()}/{head}"


def channel_device(channel: str) -> str:
    match = _CHANNEL.fullmatch(channel)
    tech, _, rest = (match["device"] if match else channel).partition("/")
    return f"{tech.lower()}/{rest}"
