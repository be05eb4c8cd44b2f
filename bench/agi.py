"""FastAGI calls per second: callserver's whole path against a bare responder, same run.

The bare responder reads the AGI environment and sends the very commands callserver sends for
the same call (so both cost the fake PBX the same), but does no resolution, no call flow and no
database writes. callserver runs as `callserver serve` on a typical campaign with a fresh SQLite
file: environment parsing, number lookup, caps counted from the store, the flow, the call row
written before dialling (synchronous=FULL) and completed after. A load generator in this
process plays many PBX channels at once against each server in turn.

Prints calls/s for each, the ratio, and the per-call overhead; on Linux also each server's CPU
time per call, which does not depend on how fast the load generator is (at 16 channels the
bare responder is mostly waiting on it). Stops by itself.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

NUMBER = "+18005550101"
# A campaign as most are: greeting, whisper, recording, failover; no caps (a capped call is
# refused early and would flatter the figure) and no schedule (any hour will do).
CONFIG = """
timezone: America/New_York
targets:
  sales: {dial: "PJSIP/sales@pbx", concurrency: 50}
  backup: {dial: "PJSIP/backup@pbx"}
campaigns:
  bench:
    routing: {strategy: priority, targets: [{target: sales}, {target: backup, priority: 2}]}
    prompts: {greeting: welcome, whisper: whisper}
    conversion: {min_duration: 60}
    record: true
    numbers: {"(800) 555-0101": {tags: {channel: search}}}
"""
CONCURRENCY = 16
SECONDS = 4.0
ROUNDS = 2
ENV = (
    "agi_network: yes\nagi_network_script: inbound\nagi_request: agi://127.0.0.1/inbound\n"
    "agi_channel: PJSIP/carrier-00000001\nagi_language: en\nagi_type: PJSIP\n"
    "agi_uniqueid: {uid}\nagi_version: 20.5.0\nagi_callerid: +13125550123\n"
    "agi_calleridname: unknown\nagi_callingpres: 0\nagi_callingani2: 0\nagi_callington: 0\n"
    "agi_callingtns: 0\nagi_dnid: {number}\nagi_rdnis: unknown\nagi_context: from-trunk\n"
    "agi_extension: {number}\nagi_priority: 1\nagi_enhanced: 0.0\nagi_accountcode: \n"
    "agi_threadid: 140000000000000\n\n"
)
VARIABLES = {"DIALSTATUS": "ANSWER", "ANSWEREDTIME": "130", "DIALEDPEERNUMBER": "sales@pbx"}


def reply(line: bytes) -> bytes:
    words = shlex.split(line.decode())
    if words[:2] == ["GET", "VARIABLE"]:
        return f"200 result=1 ({VARIABLES.get(words[2], '')})\n".encode()
    return b"200 result=1\n" if words[0] == "SET" else b"200 result=0\n"


async def one_call(port: int, uid: int) -> list[bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(ENV.format(uid=f"1764000000.{uid}", number=NUMBER).encode())
    commands = []
    while line := await reader.readline():
        commands.append(line)
        writer.write(reply(line))
    writer.close()
    await writer.wait_closed()
    return commands


@dataclass(frozen=True)
class Run:
    calls_per_s: float
    cpu_us_per_call: float | None  # the server process's user+system time (Linux /proc)


def cpu_seconds(pid: int) -> float | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


async def measure(server: subprocess.Popen[bytes], port: int) -> Run:
    before = cpu_seconds(server.pid)
    rate = await load(port, SECONDS)
    after = cpu_seconds(server.pid)
    used = None if before is None or after is None else after - before
    return Run(rate, None if used is None else used / (rate * SECONDS) * 1e6)


async def load(port: int, seconds: float) -> float:
    """Calls completed per second with CONCURRENCY channels calling back to back."""
    done = 0
    deadline = time.perf_counter() + seconds
    counter = iter(range(10**9))

    async def channel() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await one_call(port, next(counter))
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(channel() for _ in range(CONCURRENCY)))
    return done / (time.perf_counter() - start)


BARE = r"""
import asyncio, sys
from callserver import event_loop
SCRIPT = [bytes.fromhex(h) for h in sys.argv[2].split(",")]
async def handle(reader, writer):
    line = None
    while (line := await reader.readline()) not in (b"\n", b""):
        pass
    for command in SCRIPT:
        if not line:  # a port probe, or a peer gone: nothing more to say
            break
        writer.write(command)
        line = await reader.readline()
    writer.close()
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]))
    async with server:
        await server.serve_forever()
event_loop.run(main())  # the loop callserver serves on, so the ratio compares like with like
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_for_port(port: int) -> None:
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return
    raise RuntimeError(f"nothing listens on {port}")


def start_callserver(tmp: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLSERVER_AMI")}
    (tmp / "bench.yaml").write_text(CONFIG)
    return subprocess.Popen(
        [sys.executable, "-m", "callserver", "serve", "--config",
         str(tmp / "bench.yaml"), "--db", str(tmp / "bench.sqlite3"),
         "--http", f"127.0.0.1:{free_port()}", "--agi", f"127.0.0.1:{port}",
         "--log-level", "WARNING"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def start_bare(port: int, script: list[bytes]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", BARE, str(port),
                             ",".join(c.hex() for c in script)])


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ours_port, bare_port = free_port(), free_port()
        ours = start_callserver(Path(tmp), ours_port)
        try:
            await wait_for_port(ours_port)
            script = await one_call(ours_port, 0)  # the commands callserver sends for this call
            bare = start_bare(bare_port, script)
            try:
                await wait_for_port(bare_port)
                bare_runs, ours_runs = [], []
                for _ in range(ROUNDS):
                    bare_runs.append(await measure(bare, bare_port))
                    ours_runs.append(await measure(ours, ours_port))
            finally:
                stop(bare)
        finally:
            stop(ours)
    report(len(script), bare_runs, ours_runs)


def report(commands: int, bare_runs: list[Run], ours_runs: list[Run]) -> None:
    bare = max(bare_runs, key=lambda r: r.calls_per_s)
    ours = max(ours_runs, key=lambda r: r.calls_per_s)
    overhead_us = (1 / ours.calls_per_s - 1 / bare.calls_per_s) * 1e6
    print(f"FastAGI call path, {commands} AGI commands per call, {CONCURRENCY} channels")
    print(f"  bare responder : {bare.calls_per_s:8.0f} calls/s{cpu(bare)}")
    print(f"  callserver     : {ours.calls_per_s:8.0f} calls/s{cpu(ours)}"
          "  (record written and completed)")
    print(f"  ratio          : {ours.calls_per_s / bare.calls_per_s:8.2f}x"
          " of the bare responder")
    print(f"  overhead       : {overhead_us:8.0f} us per call")
    # CPU per call is steadier than calls/s on a shared machine: the best run of each.
    bare_cpu = min((r.cpu_us_per_call for r in bare_runs if r.cpu_us_per_call), default=None)
    ours_cpu = min((r.cpu_us_per_call for r in ours_runs if r.cpu_us_per_call), default=None)
    if bare_cpu and ours_cpu:
        print(f"  CPU ratio      : {bare_cpu / ours_cpu:8.2f}x (bare's CPU per call / ours:"
              " the ratio were both servers CPU-bound)")


def cpu(run: Run) -> str:
    return "" if run.cpu_us_per_call is None else f", {run.cpu_us_per_call:6.0f} us CPU per call"


if __name__ == "__main__":
    asyncio.run(main())
