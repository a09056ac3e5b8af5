"""Enrichment: which countries, regions and topics an article is about.

Pure functions of an article's text; the index and keyword data ship in `data/`.

    tag_countries(title, text, lang="", source_country="") -> list[CountryTag]
    classify_topics(title, text, categories=(), lang="") -> list[str]
    region_of(code) -> Region;  countries_in(view_code) -> frozenset[str]
    region_views() -> tuple[RegionView, ...];  flag(code) -> str;  TOPICS
"""

from __future__ import annotations

from worldwire.enrich.countries import CountryTag, tag_countries
from worldwire.enrich.regions import (
    Region,
    RegionView,
    countries_in,
    country_name,
    flag,
    region_of,
    region_views,
)
from worldwire.enrich.topics import TOPICS, classify_topics, url_sections

__all__ = [
    "TOPICS",
    "CountryTag",
    "Region",
    "RegionView",
    "classify_topics",
    "countries_in",
    "country_name",
    "flag",
    "region_of",
    "region_views",
    "tag_countries",
    "url_sections",
]
