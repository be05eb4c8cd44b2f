"""Read a config file into a ResolvedConfig, or a ConfigError listing every problem at once."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Mapping
from itertools import chain
from pathlib import Path

from callserver.config.env_checks import unset_variables
from callserver.config.errors import ConfigError, ConfigIssue, ConfigWarning, dotted
from callserver.config.lint import lint
from callserver.config.prompts import PromptLibrary
from callserver.config.prune import defined_names, validate
from callserver.config.references import Checker
from callserver.config.resolve import ResolvedConfig, resolve
from callserver.config.yamlsource import load_yaml
from callserver.webhooks.header_checks import header_warnings


def load_config(path: str | Path, env: Mapping[str, str] = os.environ) -> ResolvedConfig:
    """Load, validate and resolve one file; nothing half-loaded ever escapes. `env` is where
    the variables it names are looked for (a warning for each that is not set)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([ConfigIssue(str(path), 1, "", f"cannot read the file: {exc}")]) from None
    return parse_config(text, str(path), file, env)


def parse_config(text: str, filename: str, file: Path,
                 env: Mapping[str, str] = os.environ) -> ResolvedConfig:
    data, lines = load_yaml(text, filename)
    if not isinstance(data, dict):
        raise ConfigError([ConfigIssue(filename, 1, "", "expected a mapping at the top level")])
    model, issues = validate(data, filename, lines)
    if model is not None:
        prompts = PromptLibrary.for_config(file, model.prompts_dir)
        reported = frozenset(issue.path for issue in issues)
        checker = Checker(model, filename, lines, prompts, defined_names(data), reported)
        issues += checker.run()
    if issues or model is None:
        raise ConfigError(issues)
    digest = hashlib.sha256(text.encode()).hexdigest()
    warnings = tuple(sorted(ConfigWarning(filename, lines.line(path, key=key), dotted(path), what)
                            for path, what, key in chain(lint(model, checker.used),
                                                         header_warnings(model),
                                                         unset_variables(model, env))))
    return resolve(model, str(file), digest, prompts, warnings)


def load_or_report(path: str | Path) -> ResolvedConfig | None:
    """For commands: the config, or None after printing every error as `check` does."""
    try:
        return load_config(path)
    except ConfigError as exc:
        for issue in exc.issues:
            print(issue)
        print(f"{len(exc.issues)} error{'s' * (len(exc.issues) != 1)} in {path}",
              file=sys.stderr)
        return None
