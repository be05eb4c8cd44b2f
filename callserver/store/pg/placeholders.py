"""SQLite's placeholders in psycopg's spelling: `?` becomes `%s`, `:name` becomes `%(name)s`.

The repositories write SQLite's qmark and named styles; psycopg takes `format` and `pyformat`,
where every `%` that is not a placeholder is doubled, inside quotes too (psycopg's parser does
not read quotes). A `?` or `:name` in quoted text, a quoted identifier or a comment is not a
placeholder, nor is PostgreSQL's `::` cast. A statement is translated once: cached by its text.
"""

import re
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


@lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """The statement with psycopg's placeholders; it may not mix `?` and `:name`."""
    kinds: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        if match.group("name") is not None:
            kinds.add("named")
            return f"%({match.group('name')})s"
        if match.group("qmark") is not None:
            kinds.add("qmark")
            return "%s"
        return match.group(0).replace("%", "%%")

    translated = _TOKEN.sub(replace, sql)
    if len(kinds) > 1:
        raise ValueError(f"statement mixes ? and :name placeholders: {sql.strip()[:80]!r}")
    return translated
