"""orjson and uvloop are optional extras (FIELD-NOTES): `callserver serve` names what it runs
on, and without either package installed still answers the swap endpoint and health checks."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from tests.serve.conftest import Launch, Server
from tests.web.swap_support import BROWSER

SITE = "https://www.example.com"


def _blocked(tmp_path: Path, *packages: str) -> str:
    """A directory that, first on PYTHONPATH, makes `import PACKAGE` fail as if not installed."""
    root = tmp_path / "without"
    for package in packages:
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text(
            f"raise ImportError('{package} is not installed (blocked by the test)')\n")
    return str(root)


def _swap(server: Server) -> tuple[int, dict[str, object]]:
    body = json.dumps({"campaign": "plumbing", "url": f"{SITE}/?utm_source=google",
                       "referrer": "", "cookies": {"_ga": "GA1.2.3"}, "page_views": 1})
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.http}/swap/session", data=body.encode(), method="POST",
        headers={"User-Agent": BROWSER, "Origin": SITE, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, json.loads(response.read())


def test_serve_runs_on_uvloop_and_orjson_when_installed(serve: Launch) -> None:
    server = serve()
    assert "event loop uvloop, JSON orjson" in server.output()
    status, shown = _swap(server)
    assert status == 200 and shown["number"] == "+18005550101"


def test_serve_runs_without_either(serve: Launch, tmp_path: Path) -> None:
    server = serve(env={"PYTHONPATH": _blocked(tmp_path, "orjson", "uvloop")})
    assert "event loop asyncio, JSON json" in server.output()
    status, shown = _swap(server)
    assert status == 200 and shown["number"] == "+18005550101"
    assert shown["source"] == "google-ads" and isinstance(shown["session_id"], str)
    health, _ = server.get("/healthz")
    assert health == 200
