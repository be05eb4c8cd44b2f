"""POST /swap/session on one node on SQLite, one node on PostgreSQL and two nodes on one
PostgreSQL (the load split across both), side by side in one run: requests per second and
server CPU seconds per 1,000 requests, the PostgreSQL/SQLite CPU ratio, and how many nodes one
million page views an hour (one swap request each, about 278/s) needs.

The machine has two cores shared with whatever else runs, so two nodes are no faster than one
here: what scales out is the cost per request, measured from /proc (the callserver processes,
and separately the PostgreSQL server's, which a database host must provide: SQLite does that
work inside the node, so node CPU flatters PostgreSQL, and the whole cost, node and server, is
printed beside it). Whatever else runs on the machine only ever adds to a round's CPU per
request, and adds more to PostgreSQL's (its node sleeps on a socket at every statement, and
wakes to cold caches), so the goal is checked on each setup's least disturbed round, as
timeit takes the minimum; the ratio over all rounds is printed beside it. The load is
bench/swap.py's: every request a new visitor taking a lease and writing a session. A private
PostgreSQL (tests/pg/server.py) starts in a temporary directory on loopback and stops at the
end with every node. Takes a little over a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from agi import free_port, stop

from swap import CONCURRENCY, CONFIG, POOL_SIZE, SECONDS, client, cpu_seconds

sys.path.append(str(Path(__file__).parents[1]))
from tests.pg.server import private_postgres

ROUNDS = 5
GOAL = 1.5
START_TIMEOUT_S = 60.0  # three nodes syncing an 8,000-number pool on a busy machine
TARGET_RPS = 1_000_000 / 3600  # one swap request per page view
UTILISATION = 0.5  # a node (one core) sized to run at half its CPU, for peaks and a failover


@dataclass(frozen=True)
class Setup:
    name: str
    ports: tuple[int, ...]
    procs: tuple[subprocess.Popen[bytes], ...]


@dataclass
class Tally:
    requests: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    db_cpu: float = 0.0
    best_rps: float = 0.0
    errors: int = 0
    rounds: list[float] = field(default_factory=list)  # node CPU s / 1,000 req, each round

    def per_1000(self, cpu: float) -> float:
        return cpu * 1000 / self.requests


def start_node(tmp: Path, db: str, port: int) -> subprocess.Popen[bytes]:
    config = tmp / "bench.yaml"
    if not config.exists():
        numbers = ", ".join(f'"+1312{2000000 + i}"' for i in range(POOL_SIZE))
        config.write_text(CONFIG.replace("NUMBERS", numbers))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLSERVER_")}
    env["CALLSERVER_NODE"] = f"bench-{port}"  # several nodes on one host: one id each
    return subprocess.Popen(
        [sys.executable, "-m", "callserver", "serve", "--config", str(config), "--db", db,
         "--http", f"127.0.0.1:{port}", "--agi", f"127.0.0.1:{free_port()}",
         "--ami", f"127.0.0.1:{free_port()}", "--log-level", "ERROR"],
        stdout=(tmp / f"node-{port}.log").open("wb"), stderr=subprocess.STDOUT, env=env)


async def wait_for_node(tmp: Path, port: int, proc: subprocess.Popen[bytes]) -> None:
    """Until the node listens; a node that exits or stays silent ends the run with its log."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log = (tmp / f"node-{port}.log").read_text()[-3000:]
                sys.exit(f"node on port {port} did not start (exit {proc.poll()}):\n{log}")
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return


def postgres_pids(port: int) -> list[int]:
    """The postmaster listening on `port` and its children (the nodes' backends)."""
    stats = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            cmdline = (stat.parent / "cmdline").read_bytes().split(b"\0")
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(stat.parent.name)] = (int(fields[1]), cmdline)
    (master,) = [pid for pid, (_, cmd) in stats.items()
                 if cmd[0].endswith(b"postgres") and b"-p" in cmd
                 and cmd[cmd.index(b"-p") + 1] == str(port).encode()]
    return [master, *(pid for pid, (ppid, _) in stats.items() if ppid == master)]


def cpu_of(pids: list[int]) -> float:
    """CPU seconds of the processes still running: a backend that ended since it was listed
    (a short-lived connection) is skipped rather than ending the run."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            total += cpu_seconds(pid)
    return total


async def reconnecting(port: int, deadline: float, latencies: list[float],
                       errors: list[str]) -> None:
    """swap.py's client, reconnecting after an error answer (counted) until the deadline."""
    while time.perf_counter() < deadline:
        try:
            await client(port, deadline, latencies)
        except (RuntimeError, OSError, asyncio.IncompleteReadError) as error:
            if "pool ran out" in str(error):
                raise
            errors.append(str(error).split("\r\n", 1)[0])


async def measure(setup: Setup, tally: Tally, db_pids: list[int]) -> None:
    """One round: CONCURRENCY connections, split evenly across the setup's nodes."""
    latencies: list[float] = []
    errors: list[str] = []
    pids = [p.pid for p in setup.procs]
    cpu, db_cpu, started = cpu_of(pids), cpu_of(db_pids), time.perf_counter()
    await asyncio.gather(*(reconnecting(setup.ports[i % len(setup.ports)], started + SECONDS,
                                        latencies, errors) for i in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    node_cpu = cpu_of(pids) - cpu
    tally.requests += len(latencies)
    tally.errors += len(errors)
    tally.seconds += elapsed
    tally.cpu += node_cpu
    tally.db_cpu += cpu_of(db_pids) - db_cpu
    tally.best_rps = max(tally.best_rps, len(latencies) / elapsed)
    tally.rounds.append(node_cpu * 1000 / max(1, len(latencies)))


def create_databases(url: str, names: list[str]) -> list[str]:
    with psycopg.connect(url, autocommit=True) as admin:
        for name in names:
            admin.execute(f"CREATE DATABASE {name}")
    return [url.rsplit("/", 1)[0] + f"/{name}" for name in names]


async def run(tmp: Path, pg_url: str, pg_port: int) -> dict[str, Tally]:
    one, two = create_databases(pg_url, ["bench_one", "bench_two"])
    plans = [("1 node, SQLite", [str(tmp / "bench.sqlite3")]),
             ("1 node, PostgreSQL", [one]), ("2 nodes, PostgreSQL", [two, two])]
    setups: list[Setup] = []
    try:
        for name, dbs in plans:
            ports = tuple(free_port() for _ in dbs)
            setups.append(Setup(name, ports, tuple(start_node(tmp, db, port)
                                                   for db, port in zip(dbs, ports, strict=True))))
        for setup in setups:
            for port, proc in zip(setup.ports, setup.procs, strict=True):
                await wait_for_node(tmp, port, proc)
        db_pids = postgres_pids(pg_port)
        for setup in setups:  # a round not counted: statements prepared, caches warm
            await measure(setup, Tally(), [])
        tallies = {setup.name: Tally() for setup in setups}
        for _ in range(ROUNDS):  # rounds alternate, so a busy moment hurts every setup alike
            for setup in setups:
                await measure(setup, tallies[setup.name],
                              db_pids if "PostgreSQL" in setup.name else [])
        return tallies
    finally:
        for setup in setups:
            for proc in setup.procs:
                stop(proc)


def report(tallies: dict[str, Tally]) -> None:
    print(f"POST /swap/session, {CONCURRENCY} connections, {ROUNDS} rounds x {SECONDS:.0f} s "
          "each, alternating")
    print(f"  {'':22} {'best req/s':>10} {'node CPU s/1000':>16} {'PostgreSQL CPU s/1000':>22}"
          f" {'both s/1000':>12} {'errors':>7}")
    for name, t in tallies.items():
        db = t.per_1000(t.db_cpu)
        columns = (f"{db:22.3f} {t.per_1000(t.cpu) + db:12.3f}" if "PostgreSQL" in name
                   else f"{'-':>22} {t.per_1000(t.cpu):12.3f}")
        print(f"  {name:22} {t.best_rps:10.0f} {t.per_1000(t.cpu):16.3f} {columns} "
              f"{t.errors:7d}")
    sqlite, pg = tallies["1 node, SQLite"], tallies["1 node, PostgreSQL"]
    ratio = min(pg.rounds) / min(sqlite.rounds)
    pooled = pg.per_1000(pg.cpu) / sqlite.per_1000(sqlite.cpu)
    print(f"  PostgreSQL/SQLite node CPU per request: {ratio:.2f}x in each one's least disturbed "
          f"round ({min(pg.rounds):.3f} / {min(sqlite.rounds):.3f}), {pooled:.2f}x over all "
          f"rounds ({'meets' if ratio <= GOAL else 'misses'} the {GOAL}x goal)")
    whole = (pg.per_1000(pg.cpu) + pg.per_1000(pg.db_cpu)) / sqlite.per_1000(sqlite.cpu)
    print(f"  with the PostgreSQL server's CPU too: {whole:.2f}x SQLite's (all rounds)")
    two = tallies["2 nodes, PostgreSQL"]
    node_s = two.per_1000(two.cpu) / 1000
    per_node = UTILISATION / node_s
    nodes = max(2, math.ceil(TARGET_RPS / per_node))
    db_cores = TARGET_RPS * two.per_1000(two.db_cpu) / 1000
    print(f"  1M page views/hour = {TARGET_RPS:.0f} swap req/s: one single-core node at "
          f"{UTILISATION:.0%} CPU serves {per_node:.0f} req/s -> {nodes} nodes (2 at least, "
          f"to survive one), PostgreSQL busy {db_cores:.2f} cores")


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, private_postgres() as server:
        tallies = await run(Path(tmp), server.url, server.port)
    report(tallies)


if __name__ == "__main__":
    asyncio.run(main())
