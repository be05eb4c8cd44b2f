"""Text for Asterisk's .conf files: values escaped so its parser reads back what was meant,
and credentials taken from the environment (never the YAML), or a marked placeholder beside
a warning when the environment lacks one, so the files still render and the admin is told.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

USER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
ASTERISK_SPACE = " \t\n\v\f\r"  # what its config parser trims from a value (isspace)


@dataclass(frozen=True)
class Secret:
    """A credential for a .conf file, escaped, or a marked placeholder when the env lacks it."""

    env: str
    username: str
    password: str
    placeholder: bool


def conf_value(text: str) -> str:
    """A value as Asterisk's config parser reads it back: `;` escaped, no line breaks.

    Asterisk trims a value and reads `;` as the start of a comment unless it is escaped.
    """
    if text != text.strip(ASTERISK_SPACE) or "\n" in text or "\r" in text:
        raise ValueError("has a line break or surrounding spaces")
    return text.replace(";", r"\;")


def secret(env: str, environ: Mapping[str, str], where: str, warnings: list[str], *,
           pair: bool) -> Secret:
    """`env`'s credential (`user:password` when `pair`); when it is missing or malformed, a
    placeholder and a warning naming `where` it goes."""
    raw = environ.get(env, "")
    username, sep, password = raw.partition(":") if pair else ("", ":", raw)
    try:
        if not raw or not sep or (pair and not username) or not password:
            raise ValueError("is not set" if not raw else "is not user:password")
        return Secret(env, conf_value(username), conf_value(password), placeholder=False)
    except ValueError as exc:
        warnings.append(f"{env} {exc}: {where} has a placeholder; set it and render again")
        return Secret(env, f"SET-{env}", f"SET-{env}", placeholder=True)
