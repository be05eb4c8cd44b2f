"""SQLite's placeholders in PostgreSQL's spellings: psycopg's `%s` and `%(name)s` (for
`executemany`), and libpq's `$1` (for the statements the store prepares itself).

The repositories write SQLite's qmark and named styles. A `?` or `:name` in quoted text, a
quoted identifier or a comment is not a placeholder, nor is PostgreSQL's `::` cast. psycopg's
parser does not read quotes, so for it every other `%` is doubled, inside quotes too; libpq
needs no escape. A statement is translated once: cached by its text.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(
    r"""'(?:[^']|'')*'          # a string literal
      | "(?:[^"]|"")*"          # a quoted identifier
      | --[^\n]*                # a comment to the end of the line
      | /\*.*?\*/               # a block comment
      | ::                      # a cast, not a name
      | :(?P<name>[A-Za-z_]\w*) # a named parameter
      | (?P<qmark>\?)           # a positional parameter
      | %                       # psycopg's escape character
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Numbered:
    """A statement in libpq's spelling. `names[i]` is the `:name` that `$i+1` stands for (a
    name used twice is one parameter); no names means `count` positional `?` parameters."""

    text: bytes
    names: tuple[str, ...]
    count: int


@lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """The statement with psycopg's placeholders; it may not mix `?` and `:name`."""

    def replace(match: re.Match[str]) -> str:
        if match.group("name") is not None:
            return f"%({match.group('name')})s"
        if match.group("qmark") is not None:
            return "%s"
        return match.group(0).replace("%", "%%")

    return _rewrite(sql, replace)


@lru_cache(maxsize=4096)
def numbered(sql: str) -> Numbered:
    """The statement with libpq's `$n` placeholders; it may not mix `?` and `:name`."""
    names: list[str] = []
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        name = match.group("name")
        if name is not None:
            if name not in names:
                names.append(name)
            return f"${names.index(name) + 1}"
        if match.group("qmark") is not None:
            count += 1
            return f"${count}"
        return match.group(0)

    text = _rewrite(sql, replace)
    return Numbered(text.encode(), tuple(names), len(names) or count)  # the client speaks UTF-8


def _rewrite(sql: str, replace: Callable[[re.Match[str]], str]) -> str:
    kinds: set[str] = set()

    def seen(match: re.Match[str]) -> str:
        kinds.add("named" if match.group("name") else "qmark" if match.group("qmark") else "")
        return replace(match)

    rewritten = _TOKEN.sub(seen, sql)
    if {"named", "qmark"} <= kinds:
        raise ValueError(f"statement mixes ? and :name placeholders: {sql.strip()[:80]!r}")
    return rewritten
