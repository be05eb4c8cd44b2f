"""`callserver check` on webhook headers: a `headers_env` variable unset where it runs and a
credential-looking `headers:` entry are warnings (the file loads, `--strict` refuses it), a
header given in both places is an error; no message quotes a header's value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from callserver.cli import main

CONFIG = """timezone: UTC
campaigns:
  spring:
    webhooks:
      - on: call.completed
        url: "https://crm.example.com/hook"
        headers: {X-Source: "{{ source.name }}"}
        headers_env: {Authorization: CRM_AUTH}
    numbers:
      "+18005550101":
        unlock:
          webhooks:
            - on: call.answered
              url: "https://crm.example.com/answered"
              HEADERS
"""


def _check(tmp_path: Path, capsys: pytest.CaptureFixture[str], *lines: str,
           flags: tuple[str, ...] = ()) -> tuple[int, dict[str, Any]]:
    """`check --json` on the file with `lines` added to the number's own webhook."""
    path = tmp_path / "callserver.yaml"
    path.write_text(CONFIG.replace("HEADERS", f"\n{' ' * 14}".join(lines)))
    code = main(["check", "--json", *flags, str(path)])
    return code, json.loads(capsys.readouterr().out)


def _said(found: dict[str, Any], kind: str) -> list[tuple[int, str, str]]:
    return [(w["line"], w["path"], w["message"]) for w in found[kind]]


def test_an_unset_variable_is_a_warning_naming_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRM_AUTH", raising=False)
    code, found = _check(tmp_path, capsys)
    assert code == 0 and found["errors"] == []
    ((line, path, message),) = _said(found, "warnings")
    assert (line, path) == (8, "campaigns.spring.webhooks[0].headers_env.Authorization")
    assert message.startswith("environment variable CRM_AUTH is not set")
    assert _check(tmp_path, capsys, flags=("--strict",))[0] == 2

    monkeypatch.setenv("CRM_AUTH", "Bearer k")
    assert _check(tmp_path, capsys) == (0, {**found, "warnings": []})


@pytest.mark.parametrize("header", ["Authorization: Bearer s3cret-value",
                                    "X-Api-Key: s3cret-value", "api-key: s3cret-value",
                                    "X-Auth-Token: s3cret-value", "X-Crm: basic s3cret-value"])
def test_a_credential_in_headers_is_a_warning_pointing_to_headers_env(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        header: str) -> None:
    monkeypatch.setenv("CRM_AUTH", "Bearer k")
    name, value = header.split(": ")
    code, found = _check(tmp_path, capsys, f"headers: {{{name}: '{value}'}}")
    assert code == 0
    ((line, path, message),) = _said(found, "warnings")
    assert (line, path) == (
        15, f"campaigns.spring.numbers.+18005550101.unlock.webhooks[0].headers.{name}")
    assert "looks like a credential" in message and "headers_env" in message
    assert "s3cret" not in json.dumps(found)


def test_a_header_in_headers_and_headers_env_is_an_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_AUTH", "Bearer k")
    code, found = _check(tmp_path, capsys, "headers: {x-crm-key: '{{ tags.key }}'}",
                         "headers_env: {X-Crm-Key: CRM_AUTH}")
    assert code == 2 and not found["ok"]
    assert _said(found, "errors") == [
        (16, "campaigns.spring.numbers.+18005550101.unlock.webhooks[0].headers_env.X-Crm-Key",
         "header 'X-Crm-Key' is also in `headers`: give it in one place (a credential in "
         "headers_env only)")]


def test_a_value_where_the_variable_name_belongs_is_not_echoed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, found = _check(tmp_path, capsys, 'headers_env: {Authorization: "Bearer s3cret-value"}')
    assert code == 2
    ((_, path, message),) = _said(found, "errors")
    assert path.endswith("unlock.webhooks[0].headers_env.Authorization")
    assert "NAME of an environment variable" in message and "s3cret" not in json.dumps(found)
