"""Config errors as a person reads them: `FILE:LINE: path.to.field: message`, never a traceback."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

Path = tuple[str | int, ...]
# A check's finding: where, what, and whether it is said at the key's line (a name) rather
# than its value's; the reference checker turns each into a `ConfigIssue`.
Found = tuple[Path, str, bool]


@dataclass(frozen=True, order=True)
class ConfigIssue:
    """One problem in one place of one file."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}: {where}{self.message}"

    def as_json(self) -> dict[str, object]:
        """As the reload API and `check --json` give it: each part, and the line as printed."""
        return {"file": self.file, "line": self.line, "path": self.path,
                "message": self.message, "text": str(self)}


@dataclass(frozen=True, order=True)
class ConfigWarning(ConfigIssue):
    """Something the file may not mean (`config.lint`); it loads all the same."""

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}: warning: {where}{self.message}"


class ConfigError(Exception):
    """Every problem found in a config file, reported together."""

    def __init__(self, issues: Iterable[ConfigIssue]) -> None:
        self.issues = tuple(sorted(set(issues)))
        super().__init__("\n".join(str(i) for i in self.issues))


def dotted(path: Path) -> str:
    """`("campaigns", "spring", "numbers", 0)` -> `campaigns.spring.numbers[0]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out:
            out += f".{part}"
        else:
            out = str(part)
    return out


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint for a near miss, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def unknown_name(kind: str, name: str, known: Iterable[str]) -> str:
    """Message for a reference to something the file never defines."""
    names = sorted(known)
    hint = did_you_mean(name, names)
    if not hint:
        hint = f"; defined: {', '.join(names)}" if names else f"; no {kind}s are defined"
    return f"unknown {kind} '{name}'{hint}"
