"""The Prometheus text exposition format (0.0.4), written here rather than with
`prometheus_client`: that library keeps metrics in a process-wide registry read synchronously
at scrape time, while most of our figures come from the store in one async read per scrape, and
a per-app registry of collectors fed from that read would be more code than the format itself.

A scrape is a list of `Family` values rendered by `render`; `Histogram` is the one live,
mutable instrument (the swap latency), cheap enough to update on every request.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Sample:
    """One line: `name{labels} value`; `suffix` is added to the family's name (`_bucket`)."""

    value: float
    labels: Labels = ()
    suffix: str = ""


@dataclass(frozen=True)
class Family:
    """A metric with its `# HELP` and `# TYPE` header and every sample of it."""

    name: str
    kind: Literal["counter", "gauge", "histogram"]
    help: str
    samples: tuple[Sample, ...]


def single(name: str, kind: Literal["counter", "gauge"], help: str, value: float) -> Family:
    return Family(name, kind, help, (Sample(value),))


def by_label(name: str, kind: Literal["counter", "gauge"], help: str, label: str,
             values: Mapping[str, float]) -> Family:
    """One sample per value of `label`, in a stable (sorted) order so scrapes diff cleanly."""
    return Family(name, kind, help,
                  tuple(Sample(values[key], ((label, key),)) for key in sorted(values)))


class Histogram:
    """Counts of observations per upper bound, with their sum, as Prometheus histograms have.

    `observe` is a bisect and two additions: it runs on every swap request. Counts are kept
    per bucket and made cumulative only when rendered.
    """

    def __init__(self, bounds: Sequence[float]) -> None:
        if list(bounds) != sorted(set(bounds)):
            raise ValueError("histogram bounds must be strictly increasing")
        self.bounds = tuple(bounds)
        self._counts = [0] * (len(self.bounds) + 1)  # the last is above every bound
        self._sum = 0.0

    def observe(self, value: float) -> None:
        self._counts[bisect_left(self.bounds, value)] += 1
        self._sum += value

    def family(self, name: str, help: str) -> Family:
        samples: list[Sample] = []
        running = 0
        for bound, count in zip((*self.bounds, math.inf), self._counts, strict=True):
            running += count
            samples.append(Sample(running, (("le", _number(bound)),), "_bucket"))
        samples += [Sample(self._sum, (), "_sum"), Sample(running, (), "_count")]
        return Family(name, "histogram", help, tuple(samples))


def render(families: Iterable[Family]) -> str:
    lines: list[str] = []
    for family in families:
        lines.append(f"# HELP {family.name} {_escape_help(family.help)}")
        lines.append(f"# TYPE {family.name} {family.kind}")
        for sample in family.samples:
            labels = ",".join(f'{key}="{_escape_label(value)}"' for key, value in sample.labels)
            lines.append(f"{family.name}{sample.suffix}{{{labels}}} {_number(sample.value)}"
                         if labels else f"{family.name}{sample.suffix} {_number(sample.value)}")
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    if float(value).is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(float(value))


def _escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")
