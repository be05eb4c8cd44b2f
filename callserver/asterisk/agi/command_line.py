"""AGI command lines, quoted the way res_agi.c's parse_args reads them back.

parse_args splits on blanks outside double quotes and takes a backslash as "next character is
literal", so every string argument is double-quoted with `\\` and `"` escaped. A line break
cannot be escaped at all: it would end the command early and turn its rest into a second
command whose reply would be taken for the next one's, so it is refused here.
"""

from __future__ import annotations


def quote(arg: str) -> str:
    """One argument as a single parse_args word, empty strings included."""
    check_sendable(arg)
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def command_line(verb: str, *args: str | int) -> str:
    """`verb` as given (`STREAM FILE`), strings quoted, integers bare."""
    check_sendable(verb)
    words = [verb, *(str(arg) if isinstance(arg, int) else quote(arg) for arg in args)]
    return " ".join(words)


def check_sendable(text: str) -> None:
    if "\n" in text or "\r" in text or "\0" in text:  # three `in`s: no generator per word
        raise ValueError(f"AGI text cannot carry line breaks or NUL: {text!r}")
