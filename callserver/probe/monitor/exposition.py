"""The monitor's figures for /metrics: the last test call's result per number."""

from __future__ import annotations

from collections.abc import Mapping

from callserver.probe.verdict import Verdict
from callserver.web.exposition import Family, by_label


def monitor_families(results: Mapping[str, Verdict]) -> list[Family]:
    heard = {n: v.observation.first_audio_s for n, v in results.items()
             if v.observation.first_audio_s is not None}
    return [
        by_label("callserver_testcall_ok", "gauge",
                 "1 if the last test call to the number passed, else 0.", "number",
                 {n: int(v.ok) for n, v in results.items()}),
        by_label("callserver_testcall_last_run_timestamp_seconds", "gauge",
                 "When the last test call to the number ended (Unix time).", "number",
                 {n: v.observation.ended_at.timestamp() for n, v in results.items()}),
        by_label("callserver_testcall_first_audio_seconds", "gauge",
                 "Seconds from the answer to the greeting's first sound, last test call.",
                 "number", heard),
    ]
