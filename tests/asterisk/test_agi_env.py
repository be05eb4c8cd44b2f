"""The FastAGI environment block, parsed from the exact bytes the fake Asterisk sends."""

from __future__ import annotations

import pytest

from callserver.asterisk.agi import AgiEnv, AgiProtocolError
from callserver.asterisk.agi.env import env_from_items, parse_env_line
from tests.peers.agi_peer import env_block


def parse(block: bytes) -> AgiEnv:
    lines = block.decode().split("\n")
    assert lines[-2:] == ["", ""], "an environment ends with one empty line"
    return env_from_items(parse_env_line(line) for line in lines[:-2])


def test_a_full_block_gives_every_field() -> None:
    env = parse(env_block(4573, "inbound", args=["spring", "a b"]))
    assert env.request == "agi://127.0.0.1:4573/inbound"
    assert env.channel == "PJSIP/carrier-00000001"
    assert env.uniqueid == "1760000000.1"
    assert env.linkedid is None
    assert env.callerid == "+13125550123"
    assert env.calleridname is None  # Asterisk's "unknown"
    assert env.dnid == "+18005550101"
    assert env.extension == "+18005550101"
    assert env.context == "from-carrier"
    assert env.script == "inbound"
    assert env.query == {}
    assert env.args == ("spring", "a b")
    assert env.raw["agi_network"] == "yes"
    assert env.raw["agi_accountcode"] == ""
    assert env.raw["agi_threadid"] == "140245210003200"


def test_linkedid_and_caller_name_when_present() -> None:
    env = parse(env_block(1, env={"linkedid": "1760000000.0", "calleridname": "Alice: Home"}))
    assert env.linkedid == "1760000000.0"
    assert env.calleridname == "Alice: Home"


def test_the_query_string_is_split_off_the_script_name() -> None:
    script = "inbound?campaign=spring&src=g%20ads&empty=&dup=1&dup=2"
    env = parse(env_block(1, script))
    assert env.script == "inbound"
    assert env.query == {"campaign": "spring", "src": "g ads", "empty": "", "dup": "2"}
    assert env.raw["agi_network_script"] == script


@pytest.mark.parametrize(("script", "name"), [("inbound?", "inbound"), ("a/b?x=1", "a/b")])
def test_script_names_keep_their_path(script: str, name: str) -> None:
    assert parse(env_block(1, script)).script == name


def test_no_network_script_means_the_empty_script() -> None:
    env = parse(env_block(1, env={"network_script": None}))
    assert env.script == ""
    assert env.query == {}


def test_args_stop_at_the_first_gap() -> None:
    env = env_from_items([("agi_arg_1", "a"), ("agi_arg_3", "c"), ("agi_arg_2", "b"),
                          ("agi_arg_5", "e")])
    assert env.args == ("a", "b", "c")


@pytest.mark.parametrize(
    ("line", "pair"),
    [
        ("agi_request: agi://h:1/x", ("agi_request", "agi://h:1/x")),
        ("agi_accountcode: ", ("agi_accountcode", "")),
        ("agi_accountcode:", ("agi_accountcode", "")),
        ("agi_callerid:  two spaces", ("agi_callerid", " two spaces")),
    ],
)
def test_env_lines(line: str, pair: tuple[str, str]) -> None:
    assert parse_env_line(line) == pair


@pytest.mark.parametrize("line", ["GET / HTTP/1.1", "Host: example", "agi_x", "200 result=0", ""])
def test_anything_else_is_not_asterisk(line: str) -> None:
    with pytest.raises(AgiProtocolError):
        parse_env_line(line)


def test_the_value_is_frozen() -> None:
    env = parse(env_block(1))
    with pytest.raises(TypeError):
        env.raw["agi_channel"] = "x"  # type: ignore[index]
