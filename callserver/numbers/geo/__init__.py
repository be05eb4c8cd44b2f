"""Geo-based numbers (`geo: nearest`): where a number is, where a visitor is, which is nearest."""
