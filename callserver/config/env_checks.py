"""`callserver check` (and `serve`) for the variables a file names: every `*_env` field.

Secrets live in the environment, the file only names them. A variable that is not set where
the file is checked loads all the same (it may be set only on the server), but what needs it
fails later and quietly — a webhook parked, a SIP registration refused, hashes that change
with every restart — so each one is a warning, an error under `check --strict`. The fields
are found by their `_env` suffix, so a new one is covered without being listed here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from callserver.config.errors import Found, Path

# What fails without the variable, by field; a field not listed gets the generic line.
_CONSEQUENCE = {
    "secret_env": "this webhook's deliveries cannot be signed, and are parked",
    "headers_env": "every delivery of this webhook fails (retried, then parked)",
    "api_secret_env": "GA4 events cannot be sent, and are parked",
    "auth_env": "asterisk-conf writes this SIP target without its credentials",
    "ip_hash_key_env": "a random key is drawn at each start, so hashed addresses of one "
                       "visitor differ across restarts",
}


def unset_variables(config: BaseModel, env: Mapping[str, str]) -> Iterator[Found]:
    """Each `*_env` variable of the file that `env` does not set (or sets empty)."""
    for path, field, variable in _named(config, ()):
        if not env.get(variable):
            then = _CONSEQUENCE.get(field, "what needs it fails")
            yield path, f"environment variable {variable} is not set: unless callserver runs " \
                        f"with it, {then}", False


def _named(value: Any, path: Path) -> Iterator[tuple[Path, str, str]]:
    """(path, field, variable) for every variable name under `value`."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            held = getattr(value, name)
            if name.endswith("_env") and isinstance(held, str):
                yield (*path, name), name, held
            elif name.endswith("_env") and isinstance(held, Mapping):
                yield from (((*path, name, key), name, variable)
                            for key, variable in held.items() if isinstance(variable, str))
            else:
                yield from _named(held, (*path, name))
    elif isinstance(value, Mapping):
        for key, held in value.items():
            yield from _named(held, (*path, str(key)))
    elif isinstance(value, (list, tuple)):
        for i, held in enumerate(value):
            yield from _named(held, (*path, i))
