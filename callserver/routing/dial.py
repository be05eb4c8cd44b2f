"""How each kind of target becomes an Asterisk dial string."""

from __future__ import annotations

from collections.abc import Mapping

from callserver.config.schema.root import Target


def sip_endpoint(name: str) -> str:
    """The PJSIP endpoint `callserver asterisk-conf` renders for a `sip:` target."""
    return f"cs-{name}"


def dial_string(name: str, target: Target, trunk: str | None) -> str:
    """`dial:` as written; `number:` through the trunk; `sip:` through its own endpoint."""
    if target.dial is not None:
        return target.dial
    if target.number is not None:
        if trunk is None:
            raise ValueError(f"target {name!r} has a number but the config has no `trunk`")
        return trunk.replace("{number}", target.number)
    if target.sip is not None:
        return f"PJSIP/{sip_endpoint(name)}/{target.sip}"
    raise ValueError(f"target {name!r} has no dial, number or sip")


def targets_by_dial(targets: Mapping[str, Target], trunk: str | None) -> dict[str, str]:
    """Dial string -> target name, so whoever carries out a dial knows whom it is ringing."""
    return {dial_string(name, target, trunk): name for name, target in targets.items()}
