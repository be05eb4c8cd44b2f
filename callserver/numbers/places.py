"""Where the config file writes each number, as `FILE:LINE: path`: for the cooling-off errors of
`check` and reload, and for the lines `numbers release` tells the admin to delete."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from callserver.config.errors import ConfigError, ConfigIssue, dotted
from callserver.config.errors import Path as FieldPath
from callserver.config.phone import to_e164
from callserver.config.resolve import ResolvedConfig
from callserver.config.yamlsource import LineMap, load_yaml
from callserver.numbers.plan import Conflict


@dataclass(frozen=True)
class Place:
    number: str
    file: str
    line: int
    path: str
    text: str  # the line as the file has it
    last_line: int  # where its entry ends (a block mapping spans several lines)

    def __str__(self) -> str:
        through = f" (through line {self.last_line})" if self.last_line > self.line else ""
        return f"{self.file}:{self.line}: {self.path}: {self.text}{through}"


def places(config: ResolvedConfig, numbers: Iterable[str]) -> list[Place]:
    """The place of each of `numbers` the config lists, in file order.

    The file is read again for its lines: this runs only when something is reported, so a
    config need not carry its line map around.
    """
    wanted = set(numbers)
    try:
        text = Path(config.path).read_text(encoding="utf-8")
        lines = load_yaml(text, config.path)[1]
    except (OSError, UnicodeDecodeError, ConfigError):  # changed since it was loaded
        text, lines = "", LineMap()
    rows = text.splitlines()
    found = []
    for number, path, key in _written(config):
        if number in wanted:
            line = lines.line(path, key=key)
            found.append(Place(number, config.path, line, dotted(path),
                               rows[line - 1].strip() if line <= len(rows) else "",
                               max([line, *_lines_under(lines, path)])))
    return sorted(found, key=lambda place: (place.line, place.path))


def conflict_issues(config: ResolvedConfig, conflicts: Iterable[Conflict],
                    cooling: timedelta) -> list[ConfigIssue]:
    """A cooling-off refusal per conflict, naming the date the number becomes free."""
    by_number = {c.number: c for c in conflicts}
    issues = []
    for place in places(config, by_number):
        c = by_number[place.number]
        issues.append(ConfigIssue(
            place.file, place.line, place.path,
            f"number {c.number} was released from campaign '{c.former}' on "
            f"{c.released_at.date().isoformat()} and is cooling off: it may join campaign "
            f"'{c.campaign}' from {c.free_at.date().isoformat()} "
            f"(numbers_cooling_off_days: {cooling.days})"))
    return issues


def _lines_under(lines: LineMap, path: FieldPath) -> Iterator[int]:
    for table in (lines.keys, lines.values):
        yield from (line for where, line in table.items() if where[:len(path)] == path)


def _written(config: ResolvedConfig) -> Iterator[tuple[str, FieldPath, bool]]:
    """Each number with its path in the file, and whether the path's key holds it."""
    for name, campaign in config.model.campaigns.items():
        for raw in campaign.numbers:
            yield to_e164(raw), ("campaigns", name, "numbers", raw), True
        for pool_name, pool in campaign.pools.items():
            here = ("campaigns", name, "pools", pool_name)
            for i, number in enumerate(pool.numbers):
                yield number, (*here, "numbers", i), False
            if pool.fallback:
                yield pool.fallback, (*here, "fallback"), False
