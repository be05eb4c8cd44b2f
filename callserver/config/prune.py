"""Keep checking past the first schema error, so one run of `check` reports everything.

When the schema rejects some values, those values are cut out of a copy of the data and the
rest is validated again; the reference checks then run on what remains. Only the first round's
schema errors are reported: later rounds' errors are consequences of the cutting.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from callserver.config.errors import ConfigIssue, Path
from callserver.config.schema import Config
from callserver.config.translate import clean_loc, issues_from
from callserver.config.yamlsource import LineMap

MAX_ROUNDS = 4


def validate(data: dict[str, Any], filename: str,
             lines: LineMap) -> tuple[Config | None, list[ConfigIssue]]:
    """The model (possibly of a pruned copy) and the schema errors of the original data."""
    reported: list[ConfigIssue] = []
    for _ in range(MAX_ROUNDS):
        try:
            return Config.model_validate(data), reported
        except ValidationError as exc:
            if not reported:
                reported = issues_from(exc, Config, filename, lines)
            errors = exc.errors(include_url=False)
            if any(e["type"] == "missing" for e in errors):
                return None, reported
            data = _without(data, (clean_loc(e["loc"]) for e in errors))
    return None, reported


def _without(data: dict[str, Any], paths: Iterable[Path]) -> dict[str, Any]:
    pruned = copy.deepcopy(data)
    for path in sorted(set(paths), key=len, reverse=True):
        _cut(pruned, path)
    return pruned


def _cut(data: Any, path: Path) -> None:
    """Remove the value at `path`; inside a list, remove the whole list from its parent."""
    parent, key = None, None
    node = data
    for part in path:
        if isinstance(node, list):
            if parent is not None:
                parent.pop(key, None)
            return
        if not isinstance(node, dict) or part not in node:
            return
        parent, key, node = node, part, node[part]
    if parent is not None:
        parent.pop(key, None)


def defined_names(data: dict[str, Any]) -> dict[str, frozenset[str]]:
    """Names the file defines, even where pruning removed the definition."""
    def keys(section: str) -> frozenset[str]:
        value = data.get(section)
        return frozenset(value) if isinstance(value, dict) else frozenset()

    return {"schedule": keys("schedules"), "target": keys("targets"),
            "publisher": keys("publishers"), "source": keys("sources")}
