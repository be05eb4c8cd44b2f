"""What of a web page matters to the snippet: its text, its `tel:` links and its scripts."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

# swap.js leaves the text of these alone.
_NOT_SHOWN = {"script", "style", "textarea"}


@dataclass(frozen=True)
class Script:
    src: str
    is_async: bool


@dataclass(frozen=True)
class PageScan:
    texts: tuple[str, ...]
    tel_links: tuple[str, ...]
    scripts: tuple[Script, ...]


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.tel_links: list[str] = []
        self.scripts: list[Script] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "script" and found.get("src"):
            self.scripts.append(Script(found["src"], "async" in found or "defer" in found))
        if tag == "a" and found.get("href", "").lower().startswith("tel:"):
            self.tel_links.append(found["href"])
        if tag in _NOT_SHOWN:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _NOT_SHOWN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data)


def scan_page(html: str) -> PageScan:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return PageScan(tuple(scanner.texts), tuple(scanner.tel_links), tuple(scanner.scripts))
