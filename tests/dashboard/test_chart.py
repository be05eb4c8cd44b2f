"""The chart's layout and the day's hours it is drawn over."""

from __future__ import annotations

from datetime import UTC, datetime

import pytz

from callserver.web.dashboard.chart import HEIGHT, stacked
from callserver.web.dashboard.today import hours_of


def test_each_hour_stacks_its_sources_in_order_without_overlap() -> None:
    chart = stacked(["08", "09", "10"], {"google-ads": [2, 0, 1], "tv": [1, 3, 0]})
    ads, tv = chart.series
    assert (ads.source, ads.total, tv.source, tv.total) == ("google-ads", 3, "tv", 4)
    assert [bar.hour for bar in ads.bars] == ["08", "10"]
    assert [bar.hour for bar in tv.bars] == ["08", "09"]
    eight_ads, eight_tv = ads.bars[0], tv.bars[0]
    assert eight_ads.y + eight_ads.height == chart.bottom
    assert eight_tv.y + eight_tv.height == eight_ads.y
    assert eight_ads.height == 2 * eight_tv.height
    assert [tick.label for tick in chart.counts] == ["0", "1", "2", "3", "4"]
    assert min(bar.y for s in chart.series for bar in s.bars) >= 0
    assert ads.color != tv.color


def test_the_scale_rounds_up_to_four_even_steps() -> None:
    chart = stacked(["00"], {"tv": [9]})
    assert [tick.label for tick in chart.counts] == ["0", "3", "6", "9", "12"]
    assert stacked([], {}).series == () and HEIGHT > 0


def test_a_day_has_the_hours_its_clocks_show_including_dst_changes() -> None:
    zone = pytz.timezone("America/New_York")

    def day(y: int, m: int, d: int) -> list[str]:
        start = zone.localize(datetime(y, m, d)).astimezone(UTC)
        end = zone.localize(datetime(y, m, d + 1)).astimezone(UTC)
        return hours_of(start, end, zone)

    assert len(day(2026, 3, 2)) == 24
    spring = day(2026, 3, 8)
    assert len(spring) == 23 and "2026-03-08T02:00-05:00" not in spring
    fall = day(2026, 11, 1)
    assert len(fall) == 25
    assert fall[1:3] == ["2026-11-01T01:00-04:00", "2026-11-01T01:00-05:00"]
