"""Where prompt names become audio files: the config's own directory first, then ours."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[2] / "prompts"
AUDIO_SUFFIXES = (".wav", ".gsm", ".ulaw", ".alaw", ".sln", ".g722")


@dataclass(frozen=True)
class PromptLibrary:
    """Prompt files by name, searched in order; Asterisk wants paths without the extension."""

    dirs: tuple[Path, ...]
    # Looked up on every call; a reload builds a new library, so new files are seen then.
    _found: dict[str, Path | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def for_config(cls, config_file: Path, prompts_dir: str | None) -> PromptLibrary:
        own = (config_file.parent / prompts_dir,) if prompts_dir else ()
        return cls((*own, SHIPPED))

    def find(self, name: str) -> Path | None:
        """The path Asterisk should play (no extension), or None when no file has that name."""
        if name not in self._found:
            self._found[name] = self._search(name)
        return self._found[name]

    def _search(self, name: str) -> Path | None:
        for folder in self.dirs:
            for suffix in AUDIO_SUFFIXES:
                if (folder / f"{name}{suffix}").is_file():
                    return (folder / name).resolve()
        return None

    def names(self) -> list[str]:
        found = {p.stem for d in self.dirs if d.is_dir() for p in d.iterdir()
                 if p.suffix in AUDIO_SUFFIXES}
        return sorted(found)
