"""SIPp as the PBX of a test call, on loopback: registrar of the test account and answering
end of its calls (scenarios/pbx.xml says what it does and which keys it takes)."""

from __future__ import annotations

import shutil
import socket
import struct
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SIPP = shutil.which("sipp")
SCENARIO = Path(__file__).parent / "scenarios" / "pbx.xml"
GREETING = Path("/usr/share/sip-tester/g711a.pcap")  # shipped by sip-tester: speech in PCMA
USER, SECRET = "monitor", "s3cret"
RUN_FOR_S = 50  # SIPp stops by itself after this, whatever the test does


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Pbx:
    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def server(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def start_pbx(workdir: Path, record: str, greeting: Path = GREETING, echo: bool = True,
              secret: str = SECRET) -> Pbx:
    """Run SIPp on a free port; `record` is the command it runs, with the dialled number
    appended, when an INVITE arrives. Returns once SIPp holds its SIP port."""
    assert SIPP, "sipp is not installed (Debian's sip-tester)"
    port, media = free_udp_port(), free_udp_port()
    log = workdir / f"sipp-{port}.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [SIPP, "-sf", str(SCENARIO), "-i", "127.0.0.1", "-p", str(port),
             "-mi", "127.0.0.1", "-mp", str(media), *(["-rtp_echo"] if echo else []),
             "-key", "user", USER, "-key", "secret", secret, "-key", "record", record,
             "-key", "greeting", str(greeting), "-nostdin",
             "-timeout", f"{RUN_FOR_S}s", "-trace_err", "-error_file", str(log) + ".err"],
            stdout=sink, stderr=subprocess.STDOUT, cwd=workdir)
    pbx = Pbx(proc, port, log)
    deadline = time.monotonic() + 10
    while not _taken(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            pbx.stop()
            raise AssertionError(f"sipp did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
    return pbx


def _taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def silent_greeting(path: Path, packets: int = 150) -> Path:
    """A pcap of PCMA digital silence (3 s), for a PBX that answers with dead air."""
    frames = []
    for n in range(packets):
        rtp = struct.pack("!BBHII", 0x80, 8, n, n * 160, 0x5EED) + b"\xd5" * 160
        udp = struct.pack("!HHHH", 4000, 4002, 8 + len(rtp), 0) + rtp
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), n, 0, 64, 17, 0,
                         socket.inet_aton("127.0.0.1"), socket.inet_aton("127.0.0.1")) + udp
        eth = b"\x00" * 12 + b"\x08\x00" + ip
        seconds, micros = divmod(n * 20_000, 1_000_000)
        frames.append(struct.pack("<IIII", seconds, micros, len(eth), len(eth)) + eth)
    path.write_bytes(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
                     + b"".join(frames))
    return path
