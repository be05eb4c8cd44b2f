"""One line per event, naming the call or session in hand."""

from __future__ import annotations

import logging

import pytest

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
