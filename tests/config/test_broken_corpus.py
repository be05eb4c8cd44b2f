"""Every broken file in the corpus fails with exactly the error lines written at its end."""

from __future__ import annotations

from pathlib import Path

import pytest

from callserver.cli import main

CORPUS = sorted((Path(__file__).parent / "broken").glob("*.yaml"))
EXPECTED = Path(__file__).parent / "broken" / "expected.txt"


def _expected() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in EXPECTED.read_text().splitlines():
        name, _, rest = line.partition(":")
        out.setdefault(name, []).append(f"{name}:{rest}")
    return out


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 30
    assert {p.name for p in CORPUS} == set(_expected())


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_check_prints_exact_errors(path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(path.parent)
    assert main(["check", path.name]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines() == _expected()[path.name]
    assert "Traceback" not in out + err
