"""AgiSession over real TCP against the fake Asterisk: every reply form, hang-ups, EOF, errors."""

from __future__ import annotations

import asyncio

import pytest

from callserver.asterisk.agi import (
    AgiCommandError,
    AgiProtocolError,
    AgiSession,
    ChannelGone,
    ChannelState,
    DigitInput,
    Playback,
)
from tests.peers.agi_peer import (
    DEAD,
    EOF,
    FAILED,
    HANGUP,
    INVALID,
    OK,
    PLAYED,
    SUCCESS,
    TIMEOUT,
    USAGE,
    USAGE_UNAVAILABLE,
    Answer,
    run_call,
    value,
)


async def test_convenience_commands_send_quoted_lines_and_read_their_replies() -> None:
    seen: list[object] = []

    async def handler(session: AgiSession) -> None:
        seen.append(await session.answer())
        seen.append(await session.stream_file("welcome", "#"))
        seen.append(await session.stream_file("menu", "12"))
        seen.append(await session.get_data("menu", 3000, 4))
        seen.append(await session.get_data("menu", 3000, 4))
        seen.append(await session.get_variable("CALLERID(name)"))
        seen.append(await session.get_variable("UNSET"))
        await session.set_variable("CS_CAMPAIGN", 'spring "24"')
        await session.verbose("routing to sales", 3)
        seen.append(await session.exec("Dial", "PJSIP/sales@pbx,20"))
        await session.hangup()
        seen.append(session.state)

    peer = await run_call(handler, [
        OK, PLAYED, b"200 result=50 endpos=800\n", TIMEOUT, b"200 result=0042\n",
        value("Alice (home)"), OK, SUCCESS, SUCCESS, OK, SUCCESS,
    ])
    assert seen == [
        True,
        Playback(None, 1234, failed=False),
        Playback("2", 800, failed=False),
        DigitInput("1", timed_out=True, failed=False),
        DigitInput("0042", timed_out=False, failed=False),
        "Alice (home)",
        None,
        0,
        ChannelState.HUNG_UP,
    ]
    assert peer.commands == [
        "ANSWER",
        'STREAM FILE "welcome" "#"',
        'STREAM FILE "menu" "12"',
        'GET DATA "menu" 3000 4',
        'GET DATA "menu" 3000 4',
        'GET VARIABLE "CALLERID(name)"',
        'GET VARIABLE "UNSET"',
        'SET VARIABLE "CS_CAMPAIGN" "spring \\"24\\""',
        'VERBOSE "routing to sales" 3',
        'EXEC "Dial" "PJSIP/sales@pbx,20"',
        "HANGUP",
    ]
    assert peer.closed_by_server
    assert peer.unanswered == []


async def test_result_minus_one_alone_is_not_a_hangup() -> None:
    seen: list[object] = []

    async def handler(session: AgiSession) -> None:
        seen.append(await session.stream_file("no-such-file"))
        seen.append(await session.exec("Playback", "missing"))
        seen.append(await session.get_data("menu", 1000, 1))
        seen.append(session.state)

    await run_call(handler, [b"200 result=-1 endpos=0\n", FAILED, FAILED])
    assert seen == [
        Playback(None, 0, failed=True), -1, DigitInput("", timed_out=False, failed=True),
        ChannelState.LIVE,
    ]


@pytest.mark.parametrize(
    "first",
    [HANGUP + PLAYED, PLAYED + HANGUP, HANGUP + HANGUP + PLAYED, HANGUP + PLAYED + HANGUP],
    ids=["before", "after", "twice-before", "before-and-after"],
)
async def test_hangup_lines_are_events_not_replies(first: bytes) -> None:
    seen: list[object] = []

    async def handler(session: AgiSession) -> None:
        seen.append(await session.stream_file("welcome"))
        seen.append(await session.get_variable("DIALSTATUS"))
        seen.append(await session.get_variable("ANSWEREDTIME"))
        seen.append(session.state)

    await run_call(handler, [first, HANGUP + value("NOANSWER"), value("0")])
    assert seen == [Playback(None, 1234, failed=False), "NOANSWER", "0", ChannelState.HUNG_UP]


async def test_a_hangup_sent_before_any_command_is_seen_at_the_first() -> None:
    seen: list[object] = []

    async def handler(session: AgiSession) -> None:
        seen.append(session.hung_up)
        seen.append(await session.get_variable("X"))
        seen.append(session.hung_up)
        await session.hangup()  # already down: nothing is sent

    peer = await run_call(handler, [value("x")], after_env=HANGUP)
    assert seen == [False, "x", True]
    assert peer.commands == ['GET VARIABLE "X"']


@pytest.mark.parametrize(
    ("reply", "code", "usage"),
    [
        (INVALID, 510, ""),
        (USAGE, 520, "Usage: GET DATA <file to be streamed> [timeout] [max digits]\n"
                     "\tStream the given file, and receive DTMF data."),
        (USAGE_UNAVAILABLE, 520, ""),
        (b"520-Invalid command syntax.  Proper usage follows:\nUsage: X.520 End of proper usage.\n",
         520, "Usage: X."),
        (b"503 result=-2 Memory allocation failure\n", 503, ""),
    ],
    ids=["510", "520-multi", "520-single", "520-glued", "503"],
)
async def test_refusals_raise_with_their_text_and_keep_the_next_reply_in_step(
    reply: bytes, code: int, usage: str
) -> None:
    seen: list[object] = []

    async def handler(session: AgiSession) -> None:
        with pytest.raises(AgiCommandError) as caught:
            await session.command("GET DATA")
        seen.append((caught.value.code, caught.value.usage, caught.value.command))
        seen.append(await session.get_variable("NEXT"))
        seen.append(session.state)

    await run_call(handler, [reply, value("in step")])
    assert seen == [(code, usage, "GET DATA"), "in step", ChannelState.LIVE]


async def test_511_marks_the_channel_dead_but_dead_safe_commands_still_run() -> None:
    seen: list[object] = []

    async def handler(session: AgiSession) -> None:
        with pytest.raises(ChannelGone, match="511"):
            await session.stream_file("welcome")
        seen.append(session.state)
        seen.append(await session.get_variable("HANGUPCAUSE"))

    peer = await run_call(handler, [HANGUP + DEAD, value("16")])
    assert seen == [ChannelState.DEAD, "16"]
    assert len(peer.commands) == 2


@pytest.mark.parametrize(
    "answer", [EOF, Answer(b"200 res", close=True), Answer(HANGUP + b"520-Invalid", close=True)],
    ids=["nothing", "half-a-line", "half-a-usage-block"],
)
async def test_eof_mid_command_makes_the_session_gone(answer: Answer) -> None:
    seen: list[object] = []

    async def handler(session: AgiSession) -> None:
        with pytest.raises(ChannelGone, match="closed by Asterisk"):
            await session.stream_file("welcome")
        seen.append(session.state)
        with pytest.raises(ChannelGone):
            await session.verbose("never sent")

    peer = await run_call(handler, [answer])
    assert seen == [ChannelState.GONE]
    assert peer.commands == ['STREAM FILE "welcome" ""']


async def test_a_garbage_reply_is_a_protocol_error_and_ends_the_session() -> None:
    seen: list[object] = []

    async def handler(session: AgiSession) -> None:
        with pytest.raises(AgiProtocolError):
            await session.answer()
        seen.append(session.state)
        with pytest.raises(ChannelGone, match="protocol error"):
            await session.answer()

    peer = await run_call(handler, [b"hello there\n", OK])
    assert seen == [ChannelState.GONE]
    assert peer.commands == ["ANSWER"]


async def test_provisional_100_lines_are_not_the_reply() -> None:
    seen: list[object] = []

    async def handler(session: AgiSession) -> None:
        reply = await session.command('GOSUB "sub-whisper" "s" 1')
        seen.append((reply.code, reply.result, reply.text))
        seen.append(await session.get_variable("AFTER"))

    gosub = b"100 result=0 Trying...\nHANGUP\n200 result=0 Gosub complete\n"
    await run_call(handler, [gosub, value("after")])
    assert seen == [(200, 0, "Gosub complete"), "after"]


async def test_a_command_interrupted_before_its_reply_makes_the_session_gone() -> None:
    seen: list[object] = []

    async def handler(session: AgiSession) -> None:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.05):
                await session.command("WAIT FOR DIGIT -1")
        seen.append(session.state)
        with pytest.raises(ChannelGone, match="interrupted"):
            await session.answer()

    peer = await run_call(handler, [Answer(b""), OK])
    assert seen == [ChannelState.GONE]
    assert peer.commands == ["WAIT FOR DIGIT -1"]


async def test_concurrent_commands_on_one_session_take_turns() -> None:
    seen: list[object] = []

    async def handler(session: AgiSession) -> None:
        seen.extend(await asyncio.gather(*(session.get_variable(n) for n in "ABC")))

    peer = await run_call(handler, [value("a"), HANGUP + value("b"), value("c")], chunk_size=3)
    assert seen == ["a", "b", "c"]
    assert peer.commands == ['GET VARIABLE "A"', 'GET VARIABLE "B"', 'GET VARIABLE "C"']


async def test_line_breaks_in_a_command_are_refused_before_sending() -> None:
    async def handler(session: AgiSession) -> None:
        with pytest.raises(ValueError, match="line breaks"):
            await session.command("VERBOSE x\nHANGUP")
        with pytest.raises(ValueError, match="line breaks"):
            await session.set_variable("X", "two\nlines")

    peer = await run_call(handler, [])
    assert peer.commands == []
    assert peer.closed_by_server


@pytest.mark.parametrize("answer", [HANGUP + DEAD, DEAD, EOF], ids=["hangup-511", "511", "eof"])
async def test_hanging_up_a_line_the_caller_just_left_is_no_error(answer: Answer | bytes) -> None:
    seen: list[object] = []

    async def handler(session: AgiSession) -> None:
        await session.hangup()
        seen.append(session.hung_up)
        await session.hangup()  # teardown may repeat: nothing more is sent

    peer = await run_call(handler, [answer])
    assert seen == [True]
    assert peer.commands == ["HANGUP"]
