"""The one live config, replaced whole by a reload; a bad file never replaces a good one."""

from __future__ import annotations

import logging
from pathlib import Path

from callserver.config.errors import ConfigError, ConfigIssue
from callserver.config.loader import load_config
from callserver.config.resolve import ResolvedConfig

log = logging.getLogger(__name__)


class LiveConfig:
    """Holds the current ResolvedConfig; readers take `current` once per call or request."""

    def __init__(self, path: str | Path, initial: ResolvedConfig) -> None:
        self.path = Path(path)
        self._current = initial

    @property
    def current(self) -> ResolvedConfig:
        return self._current

    def reload(self) -> tuple[ConfigIssue, ...]:
        """Load the file again; on success swap it in, else keep the old one and return why."""
        try:
            fresh = load_config(self.path)
        except ConfigError as exc:
            for issue in exc.issues:
                log.error("reload refused: %s", issue)
            log.error("reload refused: kept config %s (%d errors)",
                      self._current.digest[:12], len(exc.issues))
            return exc.issues
        if fresh.digest != self._current.digest:
            log.info("config reloaded: %s -> %s", self._current.digest[:12], fresh.digest[:12])
        self._current = fresh
        return ()
