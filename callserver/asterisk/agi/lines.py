"""Reading one protocol line from a FastAGI stream, shared by the environment and replies."""

from __future__ import annotations

import asyncio

from callserver.asterisk.agi.errors import AgiProtocolError

# res_agi.c's own buffers are 2-4 KB; a longer line is not Asterisk talking.
LINE_LIMIT = 64 * 1024


async def read_line(reader: asyncio.StreamReader) -> str | None:
    """The next line without its line break, or None when the stream ended (even mid-line).

    A line cut off by EOF is dropped: half a reply is no reply, and guessing one would shift.
    """
    try:
        raw = await reader.readline()
    except ValueError as exc:  # StreamReader's signal for a line over its limit
        raise AgiProtocolError(f"line longer than {LINE_LIMIT} bytes") from exc
    if not raw.endswith(b"\n"):
        return None
    return raw.decode("utf-8", "replace").rstrip("\r\n")
