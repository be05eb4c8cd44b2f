"""`HOST:PORT` arguments; a bare port keeps the loopback default host."""

from __future__ import annotations

from typing import NamedTuple


class HostPort(NamedTuple):
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def parse_hostport(text: str, default_port: int, default_host: str = "127.0.0.1") -> HostPort:
    host, sep, port = text.rpartition(":")
    if not sep:
        host, port = (default_host, text) if text.isdigit() else (text, str(default_port))
    host = host.strip("[]") or default_host
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"{text!r} is not HOST:PORT")
    return HostPort(host, int(port))
