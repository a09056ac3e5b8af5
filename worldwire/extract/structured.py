"""What a page says about itself in machine-readable form: JSON-LD, Open Graph and other
<meta> tags, microdata (itemprop) and a few <link>s. Collected in one pass over the tree,
before pruning, and judged later by metadata.py."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from lxml.html import HtmlElement

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenews",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "review",
        "posting",
    }
)
_PAGE_TYPES = frozenset({"webpage", "itempage", "aboutpage", "profilepage", "medicalwebpage"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(slots=True)
class Signals:
    """Raw self-descriptions of a page, before any judgement."""

    meta: dict[str, list[str]] = field(default_factory=dict)  # name/property → contents
    itemprops: dict[str, list[str]] = field(default_factory=dict)  # microdata in the body
    article: dict[str, Any] = field(default_factory=dict)  # the main JSON-LD article object
    page: dict[str, Any] = field(default_factory=dict)  # a JSON-LD WebPage, when no article
    publisher_names: list[str] = field(default_factory=list)
    canonical: str = ""
    title_tag: str = ""
    lang: str = ""
    has_article_body_microdata: bool = False

    def first(self, *names: str) -> str:
        """The first non-empty <meta> content among names, in the order given."""
        for name in names:
            for value in self.meta.get(name, ()):
                if value.strip():
                    return value.strip()
        return ""


def read_signals(root: HtmlElement) -> Signals:
    signals = Signals(lang=(root.get("lang") or root.get("xml:lang") or "").strip())
    for element in root.iter("meta", "link", "title", "script"):
        tag = element.tag
        if tag == "meta":
            _read_meta(element, signals)
        elif tag == "link":
            rel = (element.get("rel") or "").lower().split()
            if "canonical" in rel and not signals.canonical:
                signals.canonical = (element.get("href") or "").strip()
        elif tag == "title":
            if not signals.title_tag:
                signals.title_tag = " ".join((element.text_content() or "").split())
        elif (element.get("type") or "").strip().lower() == "application/ld+json":
            _read_jsonld(element.text or "", signals)
    for element in root.xpath("//body//*[@itemprop]"):
        _read_itemprop(element, signals)
    return signals


def _read_meta(element: HtmlElement, signals: Signals) -> None:
    content = element.get("content")
    if content is None:
        if (element.get("http-equiv") or "").lower() == "content-language":
            signals.meta.setdefault("content-language", []).append("")
        return
    for attr in ("property", "name", "itemprop", "http-equiv"):
        key = element.get(attr)
        if key:
            signals.meta.setdefault(key.strip().lower(), []).append(content)


def _read_itemprop(element: HtmlElement, signals: Signals) -> None:
    names = (element.get("itemprop") or "").lower().split()
    if "articlebody" in names:
        signals.has_article_body_microdata = True
        return
    if element.tag == "meta":
        return  # already read with the other <meta> tags
    value = (
        element.get("content")
        or element.get("datetime")
        or (element.get("href") if element.tag in ("a", "link") else None)
        or (element.get("src") if element.tag == "img" else None)
    )
    if value is None:
        if names and names[0] in ("articlebody", "text", "description", "reviewbody"):
            return
        value = " ".join(element.text_content().split())[:300]
    for name in names:
        signals.itemprops.setdefault(name, []).append(value)


def _read_jsonld(raw: str, signals: Signals) -> None:
    data = _load_json(raw)
    if data is None:
        return
    for obj in _objects(data):
        types = {t.lower() for t in _types(obj)}
        if types & ARTICLE_TYPES:
            # the richest article object wins: listing pages embed teasers as articles too
            if _weight(obj) > _weight(signals.article):
                signals.article = obj
        elif types & _PAGE_TYPES and not signals.page:
            signals.page = obj
        if "publisher" in obj:
            signals.publisher_names.extend(names_of(obj["publisher"]))
        if types & {"website", "organization", "newsmediaorganization"}:
            signals.publisher_names.extend(names_of(obj))


def _weight(obj: dict[str, Any]) -> tuple[int, int]:
    body = obj.get("articleBody")
    return (len(body) if isinstance(body, str) else 0, len(obj))


def _load_json(raw: str) -> Any:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    # Hand-written JSON-LD often carries raw newlines in strings or a trailing semicolon.
    cleaned = _CONTROL.sub(" ", raw).rstrip(";").strip()
    cleaned = cleaned.removeprefix("<!--").removesuffix("-->").strip()
    try:
        return json.loads(cleaned, strict=False)
    except ValueError:
        return None


def _objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every JSON-LD node, with @graph and nesting unfolded (bounded depth)."""
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _objects(graph, depth + 1)
        for key in ("mainEntity", "itemListElement", "hasPart"):
            if key in data:
                yield from _objects(data[key], depth + 1)


def _types(obj: dict[str, Any]) -> list[str]:
    value = obj.get("@type", [])
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def names_of(value: Any) -> list[str]:
    """Names in a JSON-LD author/publisher value: a string, an object or a list of them."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str) and name.strip():
            return [name.strip()]
        if isinstance(name, list):
            return [n.strip() for n in name if isinstance(n, str) and n.strip()]
        return []
    if isinstance(value, list):
        return [n for item in value for n in names_of(item)]
    return []


def text_of(value: Any) -> str:
    """A JSON-LD value as one string (first of a list, url of an image object)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        for item in value:
            text = text_of(item)
            if text:
                return text
        return ""
    if isinstance(value, dict):
        for key in ("url", "@id", "contentUrl", "name"):
            if isinstance(value.get(key), str):
                return str(value[key]).strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""
