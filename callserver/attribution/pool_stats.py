"""How big a pool should be: the most sessions that wanted one of its numbers at once.

Sessions shown the fallback count too (they are the demand the pool missed); each wanted a
number from its first page view until its lease would have run out after its last.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime

HEADROOM = 1.2


def peak_concurrency(spans: Iterable[tuple[datetime, datetime]]) -> int:
    """The largest number of spans open at one instant; a span ending as another starts
    does not overlap it."""
    edges = sorted(edge for start, end in spans if end > start
                   for edge in ((start, 1), (end, -1)))
    peak = level = 0
    for _, step in edges:
        level += step
        peak = max(peak, level)
    return peak


def recommended_size(peak: int) -> int:
    """The observed peak with a fifth more for growth: a pool at its peak turns people away."""
    return max(1, math.ceil(peak * HEADROOM))
