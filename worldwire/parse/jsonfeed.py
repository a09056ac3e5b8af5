"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1)."""

from __future__ import annotations

from typing import Any

import orjson

from worldwire.errors import ParseError
from worldwire.parse.raw import RawEntry, RawFeed


def parse_json_feed(body: bytes, url: str = "") -> RawFeed:
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON feed: {exc}", url=url) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise ParseError("not a JSON Feed: no items list", url=url)
    version = str(doc.get("version", ""))
    feed = RawFeed(
        kind="json",
        title=_str(doc.get("title")),
        homepage=_str(doc.get("home_page_url")),
        language=_str(doc.get("language")),
        self_url=_str(doc.get("feed_url")),
        hubs=tuple(
            _str(h.get("url"))
            for h in _list(doc.get("hubs"))
            if isinstance(h, dict) and h.get("url")
        ),
    )
    if "jsonfeed.org" not in version:
        feed.warnings.append("no jsonfeed.org version: read as JSON Feed anyway")
    feed_authors = _authors(doc)
    for item in doc["items"]:
        if not isinstance(item, dict):
            feed.warnings.append("an item that is not an object was skipped")
            continue
        html = _str(item.get("content_html"))
        feed.entries.append(
            RawEntry(
                guid=_str(item.get("id")),
                link=_str(item.get("url")) or _str(item.get("external_url")),
                title=_str(item.get("title")),
                published=item.get("date_published"),
                updated=item.get("date_modified"),
                author=_authors(item) or feed_authors,
                summary_html=_str(item.get("summary")),
                content_html=html or _escape_text(_str(item.get("content_text"))),
                categories=tuple(_str(t) for t in _list(item.get("tags")) if t),
                image=_str(item.get("image")) or _str(item.get("banner_image")),
                language=_str(item.get("language")),
            )
        )
    return feed


def _authors(obj: dict[str, Any]) -> str:
    names = [_str(a.get("name")) for a in _list(obj.get("authors")) if isinstance(a, dict)]
    if not names and isinstance(obj.get("author"), dict):  # JSON Feed 1.0
        names = [_str(obj["author"].get("name"))]
    return "; ".join(n for n in names if n)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>")


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
