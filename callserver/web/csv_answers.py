"""CSV answers of the reporting API: whether a request asks for one (`format=csv`, or
`Accept: text/csv` when `format` is not given), and writing it a chunk of rows at a time, so a
list of every matching call is streamed page by page instead of held whole in memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Mapping

from aiohttp import web

from callserver.reports.filters import BadQuery


def wants_csv(request: web.Request, params: Mapping[str, list[str]]) -> bool:
    if "format" not in params:
        return "text/csv" in request.headers.get("Accept", "")
    chosen = params["format"][0]
    if chosen not in ("json", "csv"):
        raise BadQuery("format: expected json or csv")
    return chosen == "csv"


async def one_chunk(rows: list[list[str]]) -> AsyncIterator[list[list[str]]]:
    yield rows


async def stream_csv(request: web.Request, name: str, header: tuple[str, ...],
                     chunks: AsyncIterator[list[list[str]]]) -> web.StreamResponse:
    """`name`.csv as an attachment: `header`, then each chunk's rows as it comes."""
    response = web.StreamResponse(headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{name}.csv"'})
    await response.prepare(request)
    await response.write(_csv([list(header)]))
    async for rows in chunks:
        await response.write(_csv(rows))
    await response.write_eof()
    return response


def _csv(rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode()
