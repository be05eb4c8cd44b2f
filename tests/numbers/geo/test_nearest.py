"""The pure choice: the visitor's state first, then the rest of the country nearest first,
never abroad."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from callserver.numbers.geo.nearest import (
    NOWHERE,
    Candidate,
    Location,
    Nearest,
    NearestIndex,
    nearest,
)
from callserver.numbers.geo.places import Place

CHICAGO, SPRINGFIELD, MANHATTAN = "+13125550110", "+12175550111", "+12125550112"
TORONTO, MARITIMES, TOLL_FREE, LONDON = ("+14165550113", "+19025550114", "+18005550115",
                                         "+442079460116")
PLACES = {CHICAGO: Place("US", frozenset({"IL"})), SPRINGFIELD: Place("US", frozenset({"IL"})),
          MANHATTAN: Place("US", frozenset({"NY"})), TORONTO: Place("CA", frozenset({"ON"})),
          MARITIMES: Place("CA", frozenset({"NS", "PE"})), TOLL_FREE: Place("US", frozenset()),
          LONDON: Place("GB", frozenset())}
CANDIDATES = [Candidate(number, place) for number, place in PLACES.items()]


def test_same_state_first_then_the_rest_of_the_country_numbers_of_no_state_last() -> None:
    assert nearest(CANDIDATES, Location("US", "IL")) == Nearest(
        (CHICAGO, SPRINGFIELD), (MANHATTAN, TOLL_FREE), (0, 1))
    assert nearest(CANDIDATES, Location("US", "NY")).first == MANHATTAN


def test_a_state_with_no_number_gets_the_nearest_state_s() -> None:
    assert nearest(CANDIDATES, Location("US", "TX")) == Nearest(
        (), (CHICAGO, SPRINGFIELD, MANHATTAN, TOLL_FREE), (0, 0, 1, 2))
    assert nearest(CANDIDATES, Location("US", "VT")).first == MANHATTAN
    unplaced = nearest(CANDIDATES, Location("US", None))
    assert unplaced.first == CHICAGO and set(unplaced.bands) == {0}  # candidates' order


def test_the_rest_of_the_country_is_ranked_by_distance_not_by_the_file() -> None:
    far, middle, near = "+14155550120", "+12125550121", "+16145550122"  # CA, NY, OH
    candidates = [Candidate(n, Place("US", frozenset({state}))) for n, state in
                  ((far, "CA"), (middle, "NY"), (near, "OH"), (CHICAGO, "IL"))]
    from_indiana = nearest(candidates, Location("US", "IN"))
    assert from_indiana.rest_of_country == (CHICAGO, near, middle, far)
    assert from_indiana.tiers() == {CHICAGO: 1, near: 2, middle: 3, far: 4}
    assert nearest(candidates, Location("US", "NV")).first == far


def test_a_number_serving_several_provinces_is_local_to_each() -> None:
    assert nearest(CANDIDATES, Location("CA", "PE")) == Nearest((MARITIMES,), (TORONTO,), (0,))
    assert nearest(CANDIDATES, Location("CA", "NB")).first == MARITIMES  # next door to both


def test_no_number_in_the_country_means_none_at_all_so_the_caller_shows_its_fallback() -> None:
    chosen = nearest(CANDIDATES, Location("IT", "62"))
    assert chosen == NOWHERE and chosen.first is None and chosen.tiers() == {}
    assert nearest([Candidate("+80012345678", None)], Location("US", "IL")) == NOWHERE


def test_tiers_rank_the_visitors_region_zero() -> None:
    assert nearest(CANDIDATES, Location("GB", "ENG")).tiers() == {LONDON: 1}
    assert nearest(CANDIDATES, Location("CA", "ON")).tiers() == {TORONTO: 0, MARITIMES: 1}


regions = st.sampled_from(["IL", "NY", "ON", "NS", "PE", "TX", "ENG", "XX", None])
countries = st.sampled_from(["US", "CA", "GB", "IT"])
places = st.builds(Place, countries, st.frozensets(regions.filter(bool), max_size=2))


@given(st.lists(st.tuples(st.integers(0, 10**6), st.none() | places), max_size=12,
                unique_by=lambda c: c[0]),
       countries, regions)
def test_the_index_answers_exactly_as_the_function(
        raw: list[tuple[int, Place | None]], country: str, region: str | None) -> None:
    candidates = [Candidate(f"+1312{n:07d}", place) for n, place in raw]
    visitor = Location(country, region)
    assert NearestIndex.of(candidates).choose(visitor) == nearest(candidates, visitor)
