"""Safe YAML loading that remembers the line of every key and value.

PyYAML's SafeLoader builds plain data only (no tags that construct objects); composing the
node tree first lets us keep each node's line so errors can name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from callserver.config.errors import ConfigError, ConfigIssue, Path, dotted

try:
    _Loader: type[yaml.SafeLoader | yaml.CSafeLoader] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader


@dataclass
class LineMap:
    """Line of each path's value and, for mapping entries, of its key (1-based)."""

    values: dict[Path, int] = field(default_factory=dict)
    keys: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path, *, key: bool = False) -> int:
        """The line of `path`, or of its nearest ancestor the file has."""
        table = self.keys if key else self.values
        for end in range(len(path), 0, -1):
            prefix = path[:end]
            if prefix in table:
                return table[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return 1


def load_yaml(text: str, filename: str) -> tuple[Any, LineMap]:
    """Parse YAML text into plain data plus the lines it came from."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([ConfigIssue(filename, line, "", f"YAML syntax: {problem}")]) from None
    lines = LineMap()
    if node is None:
        return {}, lines
    issues: list[ConfigIssue] = []
    constructor = _Loader("")
    try:
        data = _Builder(constructor, lines, filename, issues).build(node, ())
    finally:
        constructor.dispose()
    if issues:
        raise ConfigError(issues)
    return data, lines


class _Builder:
    """Walks the composed node tree once, building data and recording lines."""

    def __init__(self, constructor: yaml.SafeLoader | yaml.CSafeLoader, lines: LineMap,
                 filename: str, issues: list[ConfigIssue]) -> None:
        self.constructor = constructor
        self.lines = lines
        self.filename = filename
        self.issues = issues

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.lines.values[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self._issue(line, path, "a mapping key must be a plain value")
                continue
            # Keys keep their spelling: `on:` stays "on" (YAML 1.1 would make it True) and
            # `1:` stays "1", which is what IVR digits and webhook events need.
            key = str(key_node.value)
            child = (*path, key)
            if key in out:
                self._issue(line, child, "key given twice")
            self.lines.keys[child] = line
            out[key] = self.build(value_node, child)
        return out

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except ValueError:
            # A date-like scalar that is not a real date (2026-13-45): keep the text and let
            # the schema say what it expected there.
            return node.value
        except yaml.YAMLError as exc:
            self._issue(node.start_mark.line + 1, (), f"YAML: {exc}")
            return None

    def _issue(self, line: int, path: Path, message: str) -> None:
        self.issues.append(ConfigIssue(self.filename, line, dotted(path), message))
