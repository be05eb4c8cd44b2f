"""The observed peak of sessions wanting a pool's numbers, and the size it recommends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from callserver.attribution.pool_stats import peak_concurrency, recommended_size

T = datetime(2026, 3, 2, tzinfo=UTC)


def _span(start: int, end: int) -> tuple[datetime, datetime]:
    return T + timedelta(minutes=start), T + timedelta(minutes=end)


def test_peak_counts_spans_open_at_one_instant() -> None:
    assert peak_concurrency([]) == 0
    assert peak_concurrency([_span(0, 30), _span(10, 40), _span(20, 25), _span(35, 50)]) == 3
    assert peak_concurrency([_span(0, 30), _span(30, 60)]) == 1  # end meets start: no overlap
    assert peak_concurrency([_span(5, 5)]) == 0


def test_recommendation_leaves_a_fifth_of_headroom() -> None:
    assert [recommended_size(p) for p in (0, 1, 5, 10, 17)] == [1, 2, 6, 12, 21]
