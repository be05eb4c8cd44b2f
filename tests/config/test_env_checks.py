"""Every variable a file names (`*_env`, and each of `headers_env`) that the environment does
not set is a warning at its line, saying what fails without it; set, nothing is said."""

from __future__ import annotations

from pathlib import Path

from callserver.config.loader import load_config

CONFIG = """timezone: UTC
privacy: {ip: hash, ip_hash_key_env: IP_KEY}
targets:
  pbx: {dial: "PJSIP/pbx@trunk"}
  buyer: {sip: "sip:calls@buyer.example", auth_env: BUYER_SIP}
campaigns:
  spring:
    routing: {targets: [{target: pbx}, {target: buyer}]}
    webhooks:
      - on: call.completed
        url: "https://crm.example.com/hook"
        secret_env: HOOK_SECRET
        headers_env: {Authorization: CRM_AUTH}
    numbers: {"+18005550101": {}}
"""
VARIABLES = {"IP_KEY": 2, "BUYER_SIP": 5, "HOOK_SECRET": 12, "CRM_AUTH": 13}


def test_each_unset_variable_is_a_warning_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "callserver.yaml"
    path.write_text(CONFIG)
    warned = {w.message.split()[2]: (w.line, w.message) for w in load_config(path, {}).warnings}
    assert {name: line for name, (line, _) in warned.items()} == VARIABLES
    assert "hashed addresses of one visitor differ across restarts" in warned["IP_KEY"][1]
    assert "cannot be signed" in warned["HOOK_SECRET"][1]


def test_set_variables_say_nothing(tmp_path: Path) -> None:
    path = tmp_path / "callserver.yaml"
    path.write_text(CONFIG)
    assert load_config(path, dict.fromkeys(VARIABLES, "x")).warnings == ()
    assert len(load_config(path, {**dict.fromkeys(VARIABLES, "x"), "CRM_AUTH": ""}).warnings) == 1
