"""Reply lines, the framing of replies among HANGUP lines, reply meanings and argument quoting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callserver.asterisk.agi import AgiProtocolError, AgiReply, command_line, quote
from callserver.asterisk.agi.outcomes import (
    DigitInput,
    Playback,
    digit_input,
    exit_code,
    playback,
    variable_value,
)
from callserver.asterisk.agi.reply import HANGUP, ReplyFramer, parse_reply_line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("200 result=0", AgiReply(200, 0, "0")),
        ("200 result=-1", AgiReply(200, -1, "-1")),
        ("200 result=0 endpos=1234", AgiReply(200, 0, "0", extras={"endpos": "1234"})),
        ("200 result=1 (timeout)", AgiReply(200, 1, "1", data="timeout")),
        ("200 result= (timeout)", AgiReply(200, None, "", data="timeout")),
        ("200 result=007", AgiReply(200, 7, "007")),
        ("200 result=-1 (hangup) endpos=99",
         AgiReply(200, -1, "-1", data="hangup", extras={"endpos": "99"})),
        ("200 result=1 (dtmf) endpos=5",
         AgiReply(200, 1, "1", data="dtmf", extras={"endpos": "5"})),
        ('200 result=1 ("Alice (home)" <2233>)',
         AgiReply(200, 1, "1", data='"Alice (home)" <2233>')),
        ("200 result=1 (a) b=c)", AgiReply(200, 1, "1", data="a) b=c")),
        ("200 result=1 ()", AgiReply(200, 1, "1", data="")),
        ("200 result=1 (speech) endpos=7 results=1 yes",
         AgiReply(200, 1, "1", data="speech", extras={"endpos": "7", "results": "1"}, text="yes")),
        ("200 result=-1 Gosub label not found",
         AgiReply(200, -1, "-1", text="Gosub label not found")),
        ("503 result=-2 Memory allocation failure",
         AgiReply(503, -2, "-2", text="Memory allocation failure")),
        ("100 result=0 Trying...", AgiReply(100, 0, "0", text="Trying...")),
        ("510 Invalid or unknown command", AgiReply(510, text="Invalid or unknown command")),
        ("511 Command Not Permitted on a dead channel or intercept routine",
         AgiReply(511, text="Command Not Permitted on a dead channel or intercept routine")),
        ("520 Invalid command syntax.  Proper usage not available.",
         AgiReply(520, text="Invalid command syntax.  Proper usage not available.")),
    ],
)
def test_reply_lines(line: str, expected: AgiReply) -> None:
    assert parse_reply_line(line) == expected


def test_endpos_and_provisional() -> None:
    assert parse_reply_line("200 result=0 endpos=1234").endpos == 1234
    assert parse_reply_line("200 result=0 endpos=x").endpos is None
    assert parse_reply_line("200 result=0").endpos is None
    assert parse_reply_line("100 result=0 Trying...").provisional
    assert not parse_reply_line("200 result=0").provisional


@pytest.mark.parametrize("line", ["", "hello", "20 result=0", "2000 result=0", " 200 result=0"])
def test_garbage_is_a_protocol_error(line: str) -> None:
    with pytest.raises(AgiProtocolError):
        parse_reply_line(line)


def feed_all(lines: list[str]) -> list[object]:
    framer = ReplyFramer()
    return [frame for line in lines if (frame := framer.feed(line)) is not None]


def test_a_multiline_520_is_one_reply_with_its_usage() -> None:
    frames = feed_all([
        "520-Invalid command syntax.  Proper usage follows:",
        " Usage: DATABASE DEL <family> <key>",
        "HANGUP",
        "520-  Deletes an entry.",
        "520 End of proper usage.",
        "200 result=1",
    ])
    assert frames == [
        HANGUP,
        AgiReply(520, text="Invalid command syntax.  Proper usage follows:",
                 usage="Usage: DATABASE DEL <family> <key>\n  Deletes an entry."),
        AgiReply(200, 1, "1"),
    ]


def test_the_usage_end_may_be_glued_to_the_last_usage_line() -> None:
    frames = feed_all([
        "520-Invalid command syntax.  Proper usage follows:",
        "Returns the digits received.520 End of proper usage.",
        "200 result=0",
    ])
    assert frames == [
        AgiReply(520, text="Invalid command syntax.  Proper usage follows:",
                 usage="Returns the digits received."),
        AgiReply(200, 0, "0"),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("200 result=0 endpos=1234", Playback(None, 1234, failed=False)),
        ("200 result=35 endpos=800", Playback("#", 800, failed=False)),
        ("200 result=-1 endpos=0", Playback(None, 0, failed=True)),
    ],
)
def test_playback(line: str, expected: Playback) -> None:
    assert playback(parse_reply_line(line)) == expected


def test_playback_result_must_be_a_digit_code() -> None:
    with pytest.raises(AgiProtocolError):
        playback(parse_reply_line("200 result=4000"))
    with pytest.raises(AgiProtocolError):
        playback(parse_reply_line("200 result= (timeout)"))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("200 result=123", DigitInput("123", timed_out=False, failed=False)),
        ("200 result=007", DigitInput("007", timed_out=False, failed=False)),
        ("200 result=*1", DigitInput("*1", timed_out=False, failed=False)),
        ("200 result= (timeout)", DigitInput("", timed_out=True, failed=False)),
        ("200 result=12 (timeout)", DigitInput("12", timed_out=True, failed=False)),
        ("200 result=-1", DigitInput("", timed_out=False, failed=True)),
    ],
)
def test_digit_input(line: str, expected: DigitInput) -> None:
    assert digit_input(parse_reply_line(line)) == expected


def test_variables_and_exit_codes() -> None:
    assert variable_value(parse_reply_line("200 result=1 (spring)")) == "spring"
    assert variable_value(parse_reply_line("200 result=1 ()")) == ""
    assert variable_value(parse_reply_line("200 result=0")) is None
    assert exit_code(parse_reply_line("200 result=-1")) == -1


def test_quoting() -> None:
    assert quote("") == '""'
    assert quote('say "hi" \\ bye') == '"say \\"hi\\" \\\\ bye"'
    assert command_line("GET DATA", "menu", 3000, 4) == 'GET DATA "menu" 3000 4'
    for bad in ("a\nb", "a\rb", "a\0b"):
        with pytest.raises(ValueError, match="line breaks"):
            quote(bad)


def asterisk_parse_args(line: str) -> list[str]:
    """res_agi.c's parse_args, transcribed: how Asterisk splits a command line into words."""
    words: list[str] = []
    current: list[str] | None = None
    quoted = escaped = False
    for char in line:
        if char == '"' and not escaped:
            quoted = not quoted
            if quoted and current is None:
                current = []
                words.append("")
            continue
        if char in " \t" and not quoted and not escaped:
            if current is not None:
                words[-1] = "".join(current)
            current = None
            continue
        if char == "\\" and not escaped:
            escaped = True
            continue
        if current is None:
            current = []
            words.append("")
        current.append(char)
        escaped = False
    if current is not None:
        words[-1] = "".join(current)
    return words


@given(st.lists(st.text(st.characters(blacklist_characters="\n\r\0")), max_size=5))
def test_asterisk_reads_back_exactly_the_arguments_we_quoted(args: list[str]) -> None:
    assert asterisk_parse_args(command_line("EXEC", *args)) == ["EXEC", *args]
