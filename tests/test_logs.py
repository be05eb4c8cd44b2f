"""One line per event, naming the call or session in hand."""

from __future__ import annotations

import logging

import pytest
from aiohttp.http_exceptions import InvalidURLError

from callserver import logs


def test_lines_carry_ids_and_fold_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("INFO")
    try:
        log = logging.getLogger("callserver.test")
        token = logs.call_id.set("c-42")
        try:
            log.info("dialling")
            try:
                raise RuntimeError("boom")
            except RuntimeError:
                log.exception("attempt failed")
        finally:
            logs.call_id.reset(token)
        log.info("idle")
        lines = capsys.readouterr().err.splitlines()
    finally:
        logging.getLogger().handlers.clear()
    assert len(lines) == 3
    assert lines[0].endswith("INFO callserver.test call=c-42: dialling")
    assert "call=c-42: attempt failed \\n Traceback" in lines[1]
    assert "RuntimeError: boom" in lines[1]
    assert lines[2].endswith("INFO callserver.test: idle")


def test_a_request_aiohttp_refused_is_one_warning_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    """aiohttp logs its parser's 400s at ERROR with a traceback; scanners send those all day."""
    logs.configure("INFO")
    try:
        try:
            raise InvalidURLError("Invalid char in url query")
        except InvalidURLError as error:
            logging.getLogger("aiohttp.server").error(
                "Error handling request from %s", "198.51.100.7", exc_info=error)
        try:
            raise RuntimeError("a handler's bug")
        except RuntimeError as error:
            logging.getLogger("aiohttp.server").error(
                "Error handling request from %s", "198.51.100.7", exc_info=error)
        lines = capsys.readouterr().err.splitlines()
    finally:
        logging.getLogger().handlers.clear()
    assert len(lines) == 2
    assert lines[0].endswith("WARNING aiohttp.server: Error handling request from 198.51.100.7: "
                             "refused with 400: Invalid char in url query")
    assert "ERROR aiohttp.server" in lines[1] and "Traceback" in lines[1]  # a bug stays loud
