"""POST /swap/session per second: callserver's endpoint against a bare aiohttp JSON handler,
same run, plus the gzipped size of swap.js.

callserver runs as `callserver serve` with a fresh SQLite file; every request is a new visitor
(from its own address, with a browser's user agent) who lands directly, so each one takes a
pool lease and writes a session. The pool's leases last one second and it holds more numbers
than a second's requests, so no request falls back. The bare handler parses the same JSON and
answers a body of the same shape, nothing else. Both run in their own process without an
access log; the same load generator, here, drives both: HTTP/1.1 keep-alive over raw
streams at a fixed concurrency, rounds alternating. Each server's CPU time per request (from
/proc) is printed too: req/s moves with whatever else the machine runs, and callserver's
SQLite work can overlap its HTTP work only on a spare core, while CPU per request is steadier.
Stops by itself in about half a minute.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from agi import free_port, stop, wait_for_port  # bench/agi.py: the same server plumbing

from callserver.web.swapjs import Snippet

ROOT = Path(__file__).parents[1]
SWAP_JS = ROOT / "swap" / "swap.js"
POOL_SIZE = 20000
CONCURRENCY = 32
SECONDS = 3.0
ROUNDS = 3
GOAL = 0.5
SITE = "https://www.example.com"
AGENT = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/124.0 Safari/537.36")
BODY = json.dumps({"campaign": "bench", "url": f"{SITE}/?utm_medium=cpc&gclid=Cj0KCQ",
                   "referrer": "", "cookies": {"_ga": "GA1.2.345.678"},
                   "page_views": 1}).encode()
CONFIG = """
sources:
  direct: {type: onsite, position: 1, match: {direct: true}}
targets: {sales: {dial: "PJSIP/sales@pbx"}}
campaigns:
  bench:
    swap_target: "+18005550100"
    sites: ["https://www.example.com"]
    capture_cookies: [_ga]
    routing: {targets: [{target: sales}]}
    pools:
      web: {sources: [direct], session_timeout: 1, fallback: "+18005550199", numbers: [NUMBERS]}
"""
BARE = r"""
import json, sys
from aiohttp import web
from callserver.event_loop import new_loop

async def session(request):
    asked = json.loads(await request.read())
    return web.json_response({
        "visitor_id": "v" * 22, "session_id": "s" * 22, "number": "+13122000000",
        "source": asked.get("campaign") and "direct", "renew_after_s": 900,
        "lease_expires_at": "2026-03-02T15:30:00.000000Z", "swap_target": "+18005550100",
        "capture_cookies": ["_ga"]})

app = web.Application()
app.router.add_post("/swap/session", session)
# On the loop callserver serves on, so the ratio compares like with like.
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None,
            loop=new_loop())
"""


def start_callserver(tmp: Path, port: int) -> subprocess.Popen[bytes]:
    numbers = ", ".join(f'"+1312{2000000 + i}"' for i in range(POOL_SIZE))
    (tmp / "bench.yaml").write_text(CONFIG.replace("NUMBERS", numbers))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLSERVER_")}
    return subprocess.Popen(
        [sys.executable, "-m", "callserver", "serve", "--config", str(tmp / "bench.yaml"),
         "--db", str(tmp / "bench.sqlite3"), "--http", f"127.0.0.1:{port}",
         "--agi", f"127.0.0.1:{free_port()}", "--ami", f"127.0.0.1:{free_port()}",
         "--log-level", "ERROR"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def start_bare(port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", BARE, str(port)])


async def client(port: int, deadline: float, latencies: list[float]) -> None:
    """One keep-alive connection sending requests back to back, each from a new visitor."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (f"POST /swap/session HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: {AGENT}\r\n"
            f"Origin: {SITE}\r\nContent-Type: text/plain\r\nContent-Length: {len(BODY)}\r\n")
    try:
        while time.perf_counter() < deadline:
            ip = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(256)}"
            started = time.perf_counter()
            writer.write(f"{head}X-Forwarded-For: {ip}\r\n\r\n".encode() + BODY)
            headers = await reader.readuntil(b"\r\n\r\n")
            if not headers.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(headers.decode(errors="replace"))
            length = next(int(line.split(b":")[1]) for line in headers.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            body = await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if b'"+1800555019' in body:
                raise RuntimeError("the pool ran out: raise POOL_SIZE")
    finally:
        writer.close()


def cpu_seconds(pid: int) -> float:
    """User and system time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def load(port: int, pid: int) -> tuple[float, float, float]:
    """Requests per second, p99 latency (ms) and the server's CPU µs per request, at
    CONCURRENCY connections."""
    latencies: list[float] = []
    cpu, started = cpu_seconds(pid), time.perf_counter()
    await asyncio.gather(*(client(port, started + SECONDS, latencies)
                           for _ in range(CONCURRENCY)))
    elapsed, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu
    return (len(latencies) / elapsed, statistics.quantiles(latencies, n=100)[98] * 1000,
            cpu * 1e6 / len(latencies))


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ours_port, bare_port = free_port(), free_port()
        ours = start_callserver(Path(tmp), ours_port)
        bare = start_bare(bare_port)
        try:
            await wait_for_port(ours_port)
            await wait_for_port(bare_port)
            bare_best = ours_best = (0.0, 0.0, 0.0)
            for _ in range(ROUNDS):
                bare_best = max(bare_best, await load(bare_port, bare.pid))
                ours_best = max(ours_best, await load(ours_port, ours.pid))
        finally:
            stop(bare)
            stop(ours)
    ratio = ours_best[0] / bare_best[0]
    snippet = Snippet.of(SWAP_JS.read_bytes()).gzipped if SWAP_JS.exists() else b""
    print(f"POST /swap/session, {CONCURRENCY} connections, best of {ROUNDS} x {SECONDS:.0f} s")
    for name, (rate, p99, cpu) in (("bare aiohttp handler", bare_best),
                                   ("callserver          ", ours_best)):
        print(f"  {name} : {rate:7.0f} req/s   p99 {p99:6.1f} ms   {cpu:4.0f} µs CPU/req")
    print("  (callserver: a lease taken and a session written per request)")
    print(f"  ratio                : {ratio:7.2f}x of the bare handler "
          f"({'meets' if ratio >= GOAL else 'misses'} the {GOAL}x goal)")
    print(f"  swap.js gzipped      : {len(snippet):7d} bytes" if snippet
          else "  swap.js              : not built yet")


if __name__ == "__main__":
    asyncio.run(main())
