"""The counts a call's caps see: the store's, raised to AMI's view of the PBX where that is
more, without the call itself (AMI's tracker follows it from its start)."""

from callserver.asterisk.call_counts import counts_from
from callserver.hours.caps import Counters

NUMBER, TARGET = "number:+18005550101", "target:desk"


def test_the_pbx_figure_counts_others_calls_not_this_one() -> None:
    counts = counts_from({NUMBER: {"day": 7, "concurrency": 1}, TARGET: {"concurrency": 0}}, 2,
                         {NUMBER: 2, TARGET: 3}, [NUMBER])
    assert counts.of(NUMBER) == Counters(day=7, concurrency=1)
    assert counts.of(TARGET) == Counters(concurrency=3)
    assert counts.rotation == 2


def test_without_ami_the_store_s_counts_stand() -> None:
    counts = counts_from({NUMBER: {"concurrency": 2}}, 0, None, [NUMBER])
    assert counts.of(NUMBER) == Counters(concurrency=2)
