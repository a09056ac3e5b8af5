"""One source entry, validated: every problem names the entry it is in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from worldwire.errors import SourceListError
from worldwire.model import FEED_KINDS, SourceSpec

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def spec_from_mapping(item: Mapping[str, Any], where: str) -> SourceSpec:
    """Validate one entry; every problem names the entry it is in."""
    feed_url = str(item.get("feed_url") or item.get("url") or "").strip()
    parts = urlsplit(feed_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceListError(f"{where}: feed_url must be an http(s) URL, got {feed_url!r}")
    raw_country = item.get("country", "")
    raw_country = "" if raw_country is None else raw_country
    if not isinstance(raw_country, str):  # YAML reads an unquoted NO (Norway) as false
        raise SourceListError(f"{where}: country must be a string (quote it), got {raw_country!r}")
    country = raw_country.strip().upper()
    if country and not _COUNTRY.match(country):
        raise SourceListError(f"{where}: country must be ISO 3166 alpha-2, got {country!r}")
    raw_languages = item.get("languages", item.get("language", []))
    if isinstance(raw_languages, str):
        raw_languages = re.split(r"[,\s]+", raw_languages)
    languages = tuple(str(x).strip().lower() for x in raw_languages if str(x).strip())
    bad = [x for x in languages if not _LANGUAGE.match(x)]
    if bad:
        raise SourceListError(f"{where}: languages must be ISO 639-1 codes, got {bad!r}")
    kind = str(item.get("kind") or guess_kind(feed_url)).lower()
    if kind not in FEED_KINDS:
        raise SourceListError(f"{where}: kind must be one of {', '.join(FEED_KINDS)}")
    full_text = item.get("full_text")
    categories = item.get("categories") or ([item["type"]] if item.get("type") else [])
    return SourceSpec(
        name=str(item.get("name") or item.get("title") or parts.hostname),
        feed_url=feed_url,
        homepage=str(item.get("homepage") or ""),
        country=country,
        languages=languages,
        kind=kind,
        full_text=None if full_text is None else bool(full_text),
        categories=tuple(str(c) for c in categories),
    )


def guess_kind(url: str) -> str:
    lowered = url.lower()
    if "sitemap" in lowered:
        return "sitemap"
    if lowered.endswith(".json") or "format=json" in lowered:
        return "json"
    if "atom" in lowered:
        return "atom"
    return "rss"


def to_mapping(spec: SourceSpec) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": spec.name,
        "homepage": spec.homepage,
        "feed_url": spec.feed_url,
        "country": spec.country,
        "languages": list(spec.languages),
        "kind": spec.kind,
    }
    if spec.full_text is not None:
        out["full_text"] = spec.full_text
    if spec.categories:
        out["categories"] = list(spec.categories)
    return out
