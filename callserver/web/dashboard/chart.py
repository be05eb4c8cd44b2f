"""Calls per hour by source as a stacked bar chart, laid out here and drawn as inline SVG by a
template: a picture of when each source makes the phone ring, with no script and no library.

Geometry only, in SVG user units; the template adds axes, labels and a `<title>` per bar so a
hover (or a screen reader) gives the exact count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WIDTH = 760
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 28
# Distinguishable colours, in the order sources are listed (sorted by name).
PALETTE = ("#2563eb", "#f97316", "#16a34a", "#db2777", "#7c3aed", "#0891b2", "#ca8a04",
           "#dc2626", "#4b5563", "#65a30d")
NO_SOURCE = "(no source)"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    hour: str
    count: int


@dataclass(frozen=True)
class Series:
    source: str
    color: str
    total: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Tick:
    """A label on an axis at `at` (x for hours, y for counts)."""

    at: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    bottom: float
    series: tuple[Series, ...]
    hours: tuple[Tick, ...]
    counts: tuple[Tick, ...]


def stacked(hours: Sequence[str], counts: Mapping[str, Sequence[int]]) -> Chart:
    """`counts[source][i]` is the calls of `source` in `hours[i]`; each hour's stack piles the
    sources in the order given, so a source keeps its place and colour in every bar."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(1, len(hours))
    peak = max((sum(column) for column in zip(*counts.values(), strict=True)), default=0)
    scale = _round_up(peak)
    unit = plot_height / scale
    base = [float(HEIGHT - BOTTOM)] * len(hours)
    series = []
    for index, (source, values) in enumerate(counts.items()):
        bars = []
        for i, count in enumerate(values):
            if count:
                base[i] -= count * unit
                bars.append(Bar(round(LEFT + i * slot + slot * 0.15, 1), round(base[i], 1),
                                round(slot * 0.7, 1), round(count * unit, 1), hours[i], count))
        series.append(Series(source, PALETTE[index % len(PALETTE)], sum(values), tuple(bars)))
    every = 1 if len(hours) <= 12 else 3
    return Chart(
        WIDTH, HEIGHT, LEFT, HEIGHT - BOTTOM, tuple(series),
        tuple(Tick(round(LEFT + (i + 0.5) * slot, 1), hour)
              for i, hour in enumerate(hours) if i % every == 0),
        tuple(Tick(round(HEIGHT - BOTTOM - n * unit, 1), str(n))
              for n in range(0, scale + 1, max(1, scale // 4))))


def _round_up(peak: int) -> int:
    """The peak rounded up to a multiple of four, so four gridlines fall on whole calls."""
    return max(4, -(-peak // 4) * 4)
