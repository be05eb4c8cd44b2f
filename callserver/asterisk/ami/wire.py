"""The AMI wire format: the banner, `Key: Value` messages ended by an empty line, and actions.

Pure: bytes in, values out. Messages are decoded only once a whole line has arrived, so a UTF-8
character split across two reads (a caller name such as "José") survives; panoramisk decodes
each read on its own and silently drops it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from callserver.asterisk.ami.errors import AmiProtocolError

BANNER_PREFIX = b"Asterisk Call Manager/"
MAX_MESSAGE_BYTES = 1 << 20

FieldValue = str | int | Sequence[str]


@dataclass(frozen=True)
class AmiMessage:
    """One response or event, headers in wire order; a key may repeat (Output, ChanVariable).

    A line without a colon (the body of an old `Response: Follows`) is kept under the key "".
    """

    headers: tuple[tuple[str, str], ...]

    def get(self, key: str, default: str = "") -> str:
        """First value of `key`, compared case-insensitively as Asterisk itself does."""
        wanted = key.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), default)

    def get_all(self, key: str) -> tuple[str, ...]:
        wanted = key.lower()
        return tuple(v for k, v in self.headers if k.lower() == wanted)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and any(k.lower() == key.lower() for k, _ in self.headers)

    @property
    def event(self) -> str | None:
        return self.get("Event") if "Event" in self else None

    @property
    def response(self) -> str | None:
        """Response status; None for events, even OriginateResponse, whose `Response` is data."""
        return self.get("Response") if "Response" in self and "Event" not in self else None

    @property
    def action_id(self) -> str | None:
        return self.get("ActionID") if "ActionID" in self else None

    def as_dict(self) -> dict[str, str]:
        """Headers as a dict; for a repeated key the first value wins, as with `get`."""
        fields: dict[str, str] = {}
        for key, value in self.headers:
            fields.setdefault(key, value)
        return fields


def parse_banner(line: bytes) -> str:
    """The protocol version from `Asterisk Call Manager/x.y.z\\r\\n`; anything else is not AMI."""
    if not line.startswith(BANNER_PREFIX) or not line.endswith(b"\n"):
        raise AmiProtocolError(f"no AMI banner, got {line[:60]!r}")
    return line[len(BANNER_PREFIX) :].strip().decode("ascii", "replace")


def _header(line: str) -> tuple[str, str]:
    key, colon, value = line.partition(":")
    if not colon:
        return "", line
    return key, value.removeprefix(" ")


class AmiParser:
    """Frames a byte stream (after the banner) into messages, whatever the read boundaries."""

    def __init__(self, max_message_bytes: int = MAX_MESSAGE_BYTES) -> None:
        self._max = max_message_bytes
        self._partial = b""
        self._headers: list[tuple[str, str]] = []
        self._size = 0

    def feed(self, data: bytes) -> list[AmiMessage]:
        *lines, self._partial = (self._partial + data).split(b"\n")
        messages: list[AmiMessage] = []
        for raw in lines:
            line = raw.removesuffix(b"\r").decode("utf-8", "replace")
            if line:
                self._headers.append(_header(line))
                self._size += len(raw)
            elif self._headers:
                messages.append(AmiMessage(tuple(self._headers)))
                self._headers, self._size = [], 0
        if self._size + len(self._partial) > self._max:
            raise AmiProtocolError(f"message longer than {self._max} bytes")
        return messages


def _lines(key: str, value: FieldValue) -> list[tuple[str, str]]:
    values = [str(value)] if isinstance(value, str | int) else [str(v) for v in value]
    return [(key, v) for v in values]


def encode_action(name: str, action_id: str, fields: Mapping[str, FieldValue]) -> bytes:
    """`Action`, `ActionID`, then the fields (a sequence value repeats its key, e.g. Variable).

    Rejects CR/LF anywhere: a caller number smuggling `\\r\\nAction: Originate` must not become
    a second action.
    """
    reserved = {"action", "actionid"} & {key.lower() for key in fields}
    if reserved:
        raise ValueError(f"set by encode_action itself: {sorted(reserved)}")
    pairs = [("Action", name), ("ActionID", action_id)]
    for key, value in fields.items():
        pairs.extend(_lines(key, value))
    for key, value in pairs:
        if not key or ":" in key or any(c in key + value for c in "\r\n"):
            raise ValueError(f"AMI field {key!r}: {value!r} would break the framing")
    return "".join(f"{key}: {value}\r\n" for key, value in pairs).encode() + b"\r\n"
