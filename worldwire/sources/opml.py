"""OPML 2.0 subscription lists. Parsed with defusedxml: the file is untrusted."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree.ElementTree import Element, SubElement, tostring

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

from worldwire.errors import SourceListError
from worldwire.model import SourceSpec
from worldwire.sources.spec import spec_from_mapping

# Attributes WorldWire adds to <outline>; other readers ignore them.
EXTRA = ("country", "language", "kind")


def parse(text: str, origin: str) -> list[SourceSpec]:
    try:
        root = safe_xml.fromstring(text)
    except (safe_xml.ParseError, DefusedXmlException) as exc:
        raise SourceListError(f"{origin}: invalid OPML: {exc}") from exc
    specs, seen = [], set()
    for index, outline in enumerate(root.iter("outline"), 1):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        if not url or url in seen:
            continue
        seen.add(url)
        specs.append(
            spec_from_mapping(
                {
                    "name": outline.get("title") or outline.get("text") or "",
                    "feed_url": url,
                    "homepage": outline.get("htmlUrl") or outline.get("htmlurl") or "",
                    "country": outline.get("country") or "",
                    "languages": outline.get("language") or outline.get("languages") or "",
                    "kind": outline.get("kind") or outline.get("format") or None,
                },
                f"{origin}: outline {index}",
            )
        )
    return specs


def render(specs: Sequence[SourceSpec]) -> str:
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = "WorldWire sources"
    body = SubElement(root, "body")
    for spec in specs:
        attrs = {"type": "rss", "text": spec.name, "title": spec.name, "xmlUrl": spec.feed_url}
        if spec.homepage:
            attrs["htmlUrl"] = spec.homepage
        if spec.country:
            attrs["country"] = spec.country
        if spec.languages:
            attrs["language"] = ",".join(spec.languages)
        attrs["kind"] = spec.kind
        SubElement(body, "outline", attrs)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="unicode") + "\n"
