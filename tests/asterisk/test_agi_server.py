"""AgiServer over real TCP: stray connections, routing, handler failures, concurrency, stop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest

from callserver.asterisk.agi import AgiEnv, AgiProtocolError, AgiServer, AgiSession
from callserver.asterisk.agi.lines import LINE_LIMIT
from tests.peers.agi_peer import (
    EOF,
    HOST,
    OK,
    SUCCESS,
    AgiPeer,
    env_block,
    exchange_raw,
    value,
)

SERVER_LOG = "callserver.asterisk.agi"


class Calls:
    """The routes of the server under test, and what reached them."""

    def __init__(self) -> None:
        self.envs: list[AgiEnv] = []
        self.values: dict[str, str | None] = {}
        self.errors: list[tuple[AgiEnv, Exception]] = []

    async def inbound(self, session: AgiSession) -> None:
        self.envs.append(session.env)
        await session.answer()

    async def echo(self, session: AgiSession) -> None:
        self.values[session.env.uniqueid] = await session.get_variable("X")

    async def boom(self, session: AgiSession) -> None:
        await session.answer()
        raise RuntimeError("boom in the handler")

    def on_error(self, env: AgiEnv, exc: Exception) -> None:
        self.errors.append((env, exc))


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
async def server(calls: Calls) -> AsyncIterator[AgiServer]:
    routes = {"inbound": calls.inbound, "echo": calls.echo, "boom": calls.boom}
    async with AgiServer(routes, port=0, env_timeout=0.2, on_error=calls.on_error) as running:
        yield running
    assert running.handler_errors == len(calls.errors)


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


async def test_a_normal_call_reaches_its_route(server: AgiServer, calls: Calls) -> None:
    peer = await AgiPeer(server.port, [OK]).run()
    assert peer.commands == ["ANSWER"]
    assert peer.closed_by_server
    assert [env.uniqueid for env in calls.envs] == ["1760000000.1"]


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"agi_netw",
        b"agi_network: yes\nagi_network_script: inbound\n",
        env_block(1)[:-1],
    ],
    ids=["zero-bytes", "half-a-line", "half-an-env", "env-without-its-empty-line"],
)
async def test_connections_that_end_early_are_closed_quietly(
    server: AgiServer, calls: Calls, payload: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    assert await exchange_raw(server.port, payload) == b""
    peer = await AgiPeer(server.port, [OK]).run()  # and the server still serves
    assert peer.commands == ["ANSWER"]
    assert len(calls.envs) == 1
    assert warnings(caplog) == []


async def test_a_burst_of_health_checks_leaves_the_server_serving(
    server: AgiServer, calls: Calls
) -> None:
    replies = await asyncio.gather(*(exchange_raw(server.port, b"") for _ in range(50)))
    assert set(replies) == {b""}
    await AgiPeer(server.port, [OK]).run()
    assert len(calls.envs) == 1


async def test_a_silent_connection_is_closed_after_the_env_timeout(
    server: AgiServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, SERVER_LOG)
    assert await exchange_raw(server.port, b"agi_network: yes\n", half_close=False) == b""
    assert any("no environment within" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "payload",
    [
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"agi_network: yes\nhello\n\n",
        bytes(range(256)) * 4,
        b"agi_network: yes\n" + b"a" * (LINE_LIMIT + 10) + b"\n\n",
        b"agi_x: 1\n" * 600,
    ],
    ids=["http", "bad-line", "binary", "overlong-line", "endless-env"],
)
async def test_garbage_is_closed_with_one_warning(
    server: AgiServer, calls: Calls, payload: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    assert await exchange_raw(server.port, payload) == b""
    assert calls.envs == []
    [warning] = warnings(caplog)
    assert "is not speaking AGI" in warning


async def test_the_query_string_is_ignored_for_routing_and_kept_as_query(
    server: AgiServer, calls: Calls
) -> None:
    peer = AgiPeer(server.port, [OK], script="inbound?campaign=spring&n=%2B1800", args=["a", ""])
    await peer.run()
    [env] = calls.envs
    assert env.script == "inbound"
    assert env.query == {"campaign": "spring", "n": "+1800"}
    assert env.args == ("a", "")


async def test_an_unknown_script_gets_a_verbose_and_is_closed(
    server: AgiServer, calls: Calls, caplog: pytest.LogCaptureFixture
) -> None:
    peer = await AgiPeer(server.port, [SUCCESS], script="nope?x=1").run()
    assert peer.commands == ['VERBOSE "callserver: no FastAGI handler for script \'nope\'" 1']
    assert peer.closed_by_server
    assert calls.envs == []
    assert warnings(caplog) == ["FastAGI: no handler for script 'nope' (1760000000.1)"]


async def test_an_unknown_script_whose_caller_left_ends_without_error(
    server: AgiServer, calls: Calls
) -> None:
    peer = await AgiPeer(server.port, [EOF], script="nope").run()
    await server.stop()
    assert len(peer.commands) == 1
    assert server.handler_errors == 0


async def test_a_handler_exception_is_logged_once_with_traceback_counted_and_hooked(
    server: AgiServer, calls: Calls, caplog: pytest.LogCaptureFixture
) -> None:
    peer = await AgiPeer(server.port, [OK, OK], script="boom").run()
    assert peer.commands == ["ANSWER"]
    assert peer.closed_by_server
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info is not None
    assert "boom in the handler" in caplog.text
    assert server.handler_errors == 1
    [(env, exc)] = calls.errors
    assert env.script == "boom"
    assert isinstance(exc, RuntimeError)


async def test_a_garbage_reply_mid_call_is_one_error_line_without_traceback(
    server: AgiServer, calls: Calls, caplog: pytest.LogCaptureFixture
) -> None:
    peer = await AgiPeer(server.port, [b"HELLO THERE\n"]).run()
    await server.stop()
    assert peer.commands == ["ANSWER"]
    [error] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert error.exc_info is None
    assert error.getMessage() == (
        "FastAGI inbound 1760000000.1: the peer stopped speaking AGI mid-call, session closed: "
        "not an AGI reply: 'HELLO THERE'")
    assert server.handler_errors == 1
    [(_, exc)] = calls.errors
    assert isinstance(exc, AgiProtocolError)


async def test_a_caller_hanging_up_is_not_a_handler_error(
    server: AgiServer, calls: Calls, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, SERVER_LOG)
    peer = await AgiPeer(server.port, [EOF]).run()  # ChannelGone escapes `inbound`
    await server.stop()  # the peer is gone before the server notices: wait for the server
    assert peer.commands == ["ANSWER"]
    assert server.handler_errors == 0
    assert any("ended: connection closed by Asterisk" in r.getMessage() for r in caplog.records)


async def test_concurrent_calls_each_get_their_own_replies(
    server: AgiServer, calls: Calls
) -> None:
    peers = [
        AgiPeer(server.port, [value(f"value-{n}")], script="echo",
                env={"uniqueid": f"1760000000.{n}"}, chunk_size=n % 7 + 1)
        for n in range(30)
    ]
    await asyncio.gather(*(peer.run() for peer in peers))
    assert calls.values == {f"1760000000.{n}": f"value-{n}" for n in range(30)}


async def test_stop_lets_running_calls_finish_within_the_grace() -> None:
    started, release = asyncio.Event(), asyncio.Event()
    finished: list[str] = []

    async def hold(session: AgiSession) -> None:
        started.set()
        await release.wait()
        await session.answer()
        finished.append(session.env.uniqueid)

    server = AgiServer({"inbound": hold}, port=0)
    await server.start()
    port = server.port
    call = asyncio.create_task(AgiPeer(port, [OK]).run())
    await started.wait()
    stopping = asyncio.create_task(server.stop(grace=60))
    await asyncio.sleep(0)
    assert not server.serving
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection(HOST, port)
    assert not stopping.done()
    release.set()
    await stopping
    assert (await call).commands == ["ANSWER"]
    assert finished == ["1760000000.1"]
    assert server.active_sessions == 0


async def test_stop_cancels_calls_still_running_after_the_grace(
    caplog: pytest.LogCaptureFixture,
) -> None:
    started = asyncio.Event()
    cancelled: list[bool] = []

    async def hold_forever(session: AgiSession) -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    server = AgiServer({"inbound": hold_forever}, port=0)
    await server.start()
    call = asyncio.create_task(AgiPeer(server.port, [OK]).run())
    await started.wait()
    await server.stop(grace=0)
    assert cancelled == [True]
    assert (await call).closed_by_server
    assert warnings(caplog) == ["FastAGI stop: cancelled 1 call(s) still running"]


async def test_port_needs_a_started_server_and_stop_is_idempotent() -> None:
    server = AgiServer({}, port=0)
    with pytest.raises(RuntimeError, match="not started"):
        _ = server.port
    await server.stop()
    assert not server.serving
