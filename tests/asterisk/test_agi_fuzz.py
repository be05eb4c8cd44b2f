"""Fuzz: HANGUP lines anywhere, in any number, never shift a reply onto the wrong command.

The same generated exchanges are fed to the pure framer and, over real TCP and cut into random
pieces, to a live AgiSession. Each reply carries a number unique to its place, so a reply taken
for its neighbour's cannot pass.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from callserver.asterisk.agi import AgiCommandError, AgiReply, AgiSession, ChannelGone
from callserver.asterisk.agi.reply import HANGUP, ReplyFramer
from tests.peers.agi_peer import run_call

REPLY_FORMS: dict[str, Callable[[int], list[str]]] = {
    "result": lambda n: [f"200 result={n}"],
    "value": lambda n: [f"200 result=1 (v{n} (x))"],
    "endpos": lambda n: [f"200 result=0 endpos={n}"],
    "timeout": lambda n: [f"200 result={n} (timeout)"],
    "minus_one": lambda n: [f"200 result=-1 endpos={n}"],
    "invalid": lambda n: [f"510 Invalid or unknown command {n}"],
    "dead": lambda n: [f"511 Command Not Permitted on a dead channel {n}"],
    "usage": lambda n: ["520-Invalid command syntax.  Proper usage follows:",
                        f" Usage: CMD{n}", "", "520 End of proper usage."],
    "glued": lambda n: ["520-Invalid command syntax.  Proper usage follows:",
                        f"Usage: CMD{n}520 End of proper usage."],
    "gosub": lambda n: ["100 result=0 Trying...", f"200 result=0 Gosub complete {n}"],
}
REFUSED = {"invalid", "usage", "glued"}


@dataclass(frozen=True)
class Exchange:
    """One command's reply as Asterisk might send it, HANGUP lines before, inside and after."""

    kind: str
    mark: str
    lines: tuple[str, ...]


@st.composite
def exchanges(draw: st.DrawFn) -> list[Exchange]:
    kinds = draw(st.lists(st.sampled_from(sorted(REPLY_FORMS)), max_size=12))
    out = []
    for i, kind in enumerate(kinds):
        mark = str(1000 + i)
        lines: list[str] = []
        for line in [*REPLY_FORMS[kind](int(mark)), None]:
            lines += ["HANGUP"] * draw(st.integers(0, 2))
            if line is not None:
                lines.append(line)
        out.append(Exchange(kind, mark, tuple(lines)))
    return out


def shown(reply: AgiReply) -> str:
    return f"{reply.result_text} {reply.data} {dict(reply.extras)} {reply.text} {reply.usage}"


@given(exchanges())
def test_the_framer_keeps_every_reply_in_place(case: list[Exchange]) -> None:
    framer = ReplyFramer()
    lines = [line for exchange in case for line in exchange.lines]
    frames = [frame for line in lines if (frame := framer.feed(line)) is not None]
    replies = [f for f in frames if isinstance(f, AgiReply) and not f.provisional]
    assert frames.count(HANGUP) == lines.count("HANGUP")
    assert len(replies) == len(case)
    for exchange, reply in zip(case, replies, strict=True):
        assert exchange.mark in shown(reply), (exchange, reply)


@settings(max_examples=40, deadline=None)
@given(exchanges(), st.one_of(st.none(), st.integers(1, 40)))
def test_a_session_over_tcp_keeps_every_reply_in_place(
    case: list[Exchange], chunk_size: int | None
) -> None:
    outcomes: list[tuple[str, str]] = []
    hung_up: list[bool] = []

    async def handler(session: AgiSession) -> None:
        for i in range(len(case)):
            try:
                outcomes.append(("reply", shown(await session.command(f"NOOP {i}"))))
            except AgiCommandError as exc:
                outcomes.append(("refused", str(exc)))
            except ChannelGone as exc:
                outcomes.append(("dead", str(exc)))
        hung_up.append(session.hung_up)

    answers = ["".join(f"{line}\n" for line in e.lines).encode() for e in case]
    peer = asyncio.run(run_call(handler, answers, chunk_size=chunk_size))

    assert peer.commands == [f"NOOP {i}" for i in range(len(case))]
    for exchange, (outcome, text) in zip(case, outcomes, strict=True):
        expected = "refused" if exchange.kind in REFUSED else exchange.kind
        assert outcome == (expected if expected in {"refused", "dead"} else "reply"), exchange
        assert exchange.mark in text, (exchange, text)
    read = [line for e in case for line in e.lines]
    while read and read[-1] == "HANGUP":  # sent after the last reply: nobody reads them
        read.pop()
    assert hung_up == [("HANGUP" in read) or any(e.kind == "dead" for e in case)]
