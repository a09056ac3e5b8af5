"""Countries, regions and topics as the reader's web names them, on top of the
enrichment stage's tables (UN M49 regions, the fixed topic list)."""

from __future__ import annotations

import functools

from worldwire.enrich import regions as m49
from worldwire.enrich.topics import TOPICS

flag = m49.flag
countries_in = m49.countries_in


def country_name(code: str) -> str:
    return m49.country_name(code.upper())


def is_region(code: str) -> bool:
    return bool(m49.countries_in(code))


@functools.cache
def _view_names() -> dict[str, str]:
    return {view.code: view.name for view in m49.region_views()}


def region_name(code: str) -> str:
    return _view_names().get(code.lower()) or code


def continent_of(country: str) -> tuple[str, str] | None:
    """(code, name) of the continent a country is in, for the tags on a story."""
    try:
        found = m49.region_of(country)
    except KeyError:
        return None
    return found.region, found.region_name


def continents() -> list[tuple[str, str]]:
    """(code, name) of each continent, for the navigation."""
    return [(v.code, v.name) for v in m49.region_views() if v.kind == "region"]


def regions() -> list[tuple[str, str]]:
    """Continents and their sub-regions (countries are asked by code), for the search
    form."""
    return [(v.code, v.name) for v in m49.region_views() if v.kind != "country"]


def topics() -> tuple[tuple[str, str], ...]:
    return TOPICS


_LABELS = dict(TOPICS)


def is_topic(slug: str) -> bool:
    return slug in _LABELS


def topic_label(slug: str) -> str:
    return _LABELS.get(slug) or slug.replace("-", " ").capitalize()
