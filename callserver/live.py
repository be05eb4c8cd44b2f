"""The one live config, replaced whole by a reload; a bad file never replaces a good one.

An optional admission step (the number inventory's gate) sees every loaded config before it
goes live: it may refuse it as a bad file is refused, or return the config to run instead (the
file's, with released numbers out of service). When it cannot decide (its database does not
answer), the running config stays and the reload says so, to be tried again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from callserver.config.errors import ConfigError, ConfigIssue
from callserver.config.loader import load_config
from callserver.config.resolve import ResolvedConfig

log = logging.getLogger(__name__)
Admit = Callable[[ResolvedConfig], ResolvedConfig]
Listener = Callable[[], object]  # what a listener returns is not used


class AdmitUnavailable(Exception):
    """The admission step could not decide, e.g. its database is locked or unreachable."""


@dataclass(frozen=True, order=True)
class UnavailableIssue(ConfigIssue):
    """A reload not done for want of the store, not for a fault in the file: the admin API
    answers 503 (try again), not 422 (fix the file)."""


class LiveConfig:
    """Holds the current ResolvedConfig; readers take `current` once per call or request.

    With `admit`, the initial config is admitted here: a refusal raises ConfigError.
    """

    def __init__(self, path: str | Path, initial: ResolvedConfig,
                 admit: Admit | None = None) -> None:
        self.path = Path(path)
        self._admit = admit
        self._lock = threading.Lock()
        self._loaded = initial
        self._current = admit(initial) if admit else initial
        self._listeners: list[Listener] = []
        _log_warnings(initial)

    @property
    def current(self) -> ResolvedConfig:
        return self._current

    @property
    def loaded(self) -> ResolvedConfig:
        """The file as loaded, before admission (released numbers still in it)."""
        return self._loaded

    def listen(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` (on the reloading thread) after each good reload; returns the undo.

        The cluster's config follower hears of a SIGHUP or API reload this way, at once."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def reload(self) -> tuple[ConfigIssue, ...]:
        """Load the file again; on success swap it in, else keep the old one and return why."""
        issues = self._reload()
        if not issues:
            for listener in tuple(self._listeners):
                listener()
        return issues

    def _reload(self) -> tuple[ConfigIssue, ...]:
        with self._lock:
            try:
                loaded = load_config(self.path)
                fresh = self._admit(loaded) if self._admit else loaded
            except ConfigError as exc:
                for issue in exc.issues:
                    log.error("reload refused: %s", issue)
                count = len(exc.issues)
                log.error("reload refused: kept config %s (%d error%s)",
                          self._current.digest[:12], count, "s" * (count != 1))
                return exc.issues
            except AdmitUnavailable as exc:
                return (self._unavailable(exc),)
            if fresh.digest != self._current.digest:
                log.info("config reloaded: %s -> %s", self._current.digest[:12],
                         fresh.digest[:12])
                _log_warnings(loaded)
            else:  # a SIGHUP has no other answer: say it was heard
                log.info("config reloaded: unchanged (%s)", fresh.digest[:12])
            self._loaded, self._current = loaded, fresh
            return ()

    def readmit(self) -> tuple[ConfigIssue, ...]:
        """Admit the loaded file again, after the store changed under it (numbers released)."""
        if self._admit is None:
            return ()
        with self._lock:
            try:
                self._current = self._admit(self._loaded)
            except ConfigError as exc:
                log.error("numbers changed, config kept as it was: %s", exc)
                return exc.issues
            except AdmitUnavailable as exc:
                return (self._unavailable(exc),)
            return ()

    def _unavailable(self, error: AdmitUnavailable) -> UnavailableIssue:
        issue = UnavailableIssue(str(self.path), 0, "", f"{error}; kept config "
                                 f"{self._current.digest[:12]}, try again")
        log.error("reload not done: %s", issue.message)
        return issue


def _log_warnings(config: ResolvedConfig) -> None:
    """Once per file loaded: what `check` would print as warnings, as serving starts on it."""
    for warning in config.warnings:
        log.warning("%s", warning)
