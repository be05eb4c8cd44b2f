"""Roughly where each US state and Canadian province lies, so that "the number closest to the
visitor" (seed 001's GeoContact) can rank the rest of the country when the visitor's own state
has no number: from Indiana, Illinois comes before California.

A number's area code names its state exactly but no point in it, and a visitor is placed by
state too, so distances are between states' centres (to a degree or so, which is all a ranking
of neighbours needs): they order states, never towns within one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from math import asin, cos, radians, sin, sqrt
from types import MappingProxyType

_US = {
    "AL": (32.8, -86.8), "AK": (64.0, -150.0), "AZ": (34.3, -111.7), "AR": (34.9, -92.4),
    "CA": (37.2, -119.5), "CO": (39.0, -105.5), "CT": (41.6, -72.7), "DE": (39.0, -75.5),
    "DC": (38.9, -77.0), "FL": (28.6, -82.4), "GA": (32.7, -83.4), "HI": (20.8, -156.3),
    "ID": (44.4, -114.6), "IL": (40.0, -89.2), "IN": (39.9, -86.3), "IA": (42.1, -93.5),
    "KS": (38.5, -98.4), "KY": (37.5, -85.3), "LA": (31.1, -92.0), "ME": (45.4, -69.2),
    "MD": (39.0, -76.8), "MA": (42.3, -71.8), "MI": (44.3, -85.4), "MN": (46.3, -94.3),
    "MS": (32.7, -89.7), "MO": (38.4, -92.5), "MT": (47.0, -109.6), "NE": (41.5, -99.8),
    "NV": (39.3, -116.6), "NH": (43.7, -71.6), "NJ": (40.2, -74.7), "NM": (34.4, -106.1),
    "NY": (42.9, -75.5), "NC": (35.6, -79.4), "ND": (47.5, -100.5), "OH": (40.3, -82.8),
    "OK": (35.6, -97.5), "OR": (43.9, -120.6), "PA": (40.9, -77.8), "RI": (41.7, -71.5),
    "SC": (33.9, -80.9), "SD": (44.4, -100.2), "TN": (35.9, -86.4), "TX": (31.5, -99.3),
    "UT": (39.3, -111.7), "VT": (44.1, -72.7), "VA": (37.5, -78.8), "WA": (47.4, -120.5),
    "WV": (38.6, -80.6), "WI": (44.6, -89.9), "WY": (43.0, -107.6),
}
_CA = {
    "AB": (54.5, -115.0), "BC": (53.7, -127.6), "MB": (54.0, -97.0), "NB": (46.5, -66.2),
    "NL": (50.5, -57.5), "NS": (45.0, -63.0), "NT": (64.8, -124.8), "NU": (70.3, -83.1),
    "ON": (50.0, -85.0), "PE": (46.4, -63.2), "QC": (52.9, -73.5), "SK": (54.0, -106.0),
    "YT": (64.3, -135.0),
}
CENTRES: Mapping[str, Mapping[str, tuple[float, float]]] = MappingProxyType(
    {"US": MappingProxyType(_US), "CA": MappingProxyType(_CA)})
_EARTH_KM = 6371.0


def distance_km(country: str, region: str | None, regions: Iterable[str]) -> float | None:
    """From the centre of `region` to the nearest centre of `regions` (a number may serve
    several); None when either side has no known centre."""
    centres = CENTRES.get(country, {})
    here = centres.get(region) if region is not None else None
    theirs = [centres[r] for r in regions if r in centres]
    if here is None or not theirs:
        return None
    return min(_great_circle(here, there) for there in theirs)


def _great_circle(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (map(radians, a)), (map(radians, b))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_KM * asin(sqrt(h))
