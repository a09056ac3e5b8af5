"""Title, author, dates, image, canonical URL and site name: what readers see first.
(Authors are judged in authors.py, dates in pubdates.py.)

Each field has an ordered list of witnesses (JSON-LD, Open Graph, other <meta> tags,
microdata, the visible page). The visible headline wins when a machine-readable title
confirms it, because titles in <meta> tags carry site-name suffixes and SEO rewrites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from worldwire.extract.authors import find_authors
from worldwire.extract.cues import LazyCues
from worldwire.extract.pubdates import published_date, updated_date
from worldwire.extract.structured import Signals, names_of, text_of
from worldwire.extract.text import normalize_space, similar, word_key, words

_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»›·/•~*]+\s+|\s+::\s+|\s*\|\s*")
# Where a title may join a site name and a headline ("Site: Headline", "Headline - Site").
_TITLE_PARTS = re.compile(r"\s*[|\-–—:»›·/•~*]+\s+|\s*\|\s*")


@dataclass(slots=True)
class Metadata:
    title: str = ""
    author: str = ""
    published: str | None = None
    updated: str | None = None
    image: str = ""
    url: str = ""
    site_name: str = ""
    description: str = ""
    declared_language: str = ""


def read_metadata(
    root: HtmlElement, signals: Signals, url: str, *, now: datetime | None = None
) -> Metadata:
    """Every field from the unpruned tree (bylines and dates live in page furniture)."""
    base = _absolute(signals.canonical, url) or url
    site_name = _site_name(signals)
    title = _title(root, signals, site_name, base)
    # Bylines and printed dates are searched by class name only when the structured
    # data lacks them, so the index of class names is built on demand.
    cues = LazyCues(root)
    return Metadata(
        title=title,
        author=find_authors(root, signals, cues.get, site_name),
        published=published_date(root, signals, cues, base, title, now),
        updated=updated_date(signals, now),
        image=_absolute(_image(signals), base),
        url=base,
        site_name=site_name,
        description=normalize_space(
            signals.first("og:description", "description", "twitter:description")
            or text_of(signals.article.get("description"))
        ),
        declared_language=_declared_language(signals),
    )


def _absolute(link: str, base: str) -> str:
    link = link.strip()
    if not link:
        return ""
    try:
        joined = urljoin(base, link) if base else link
    except ValueError:
        return ""
    return joined if urlsplit(joined).scheme in ("http", "https") else ""


def _site_name(signals: Signals) -> str:
    name = signals.first("og:site_name", "application-name", "twitter:site:name")
    if not name:
        name = next(iter(names_of(signals.article.get("publisher"))), "")
    if not name and signals.publisher_names:
        name = signals.publisher_names[0]
    return normalize_space(name)


def _declared_language(signals: Signals) -> str:
    for raw in (
        signals.lang,
        signals.first("content-language", "og:locale", "language", "dc.language"),
        text_of(signals.article.get("inLanguage")),
    ):
        code = raw.strip().lower().replace("_", "-").split("-")[0]
        if len(code) == 2 and code.isalpha():
            return code
    return ""


def _image(signals: Signals) -> str:
    return (
        signals.first("og:image", "og:image:url", "og:image:secure_url", "twitter:image")
        or text_of(signals.article.get("image"))
        or text_of(signals.article.get("thumbnailUrl"))
        or next(iter(signals.itemprops.get("image", ())), "")
        or signals.first("twitter:image:src", "thumbnail", "image")
    )


# --- title -------------------------------------------------------------------------------


def _title(root: HtmlElement, signals: Signals, site_name: str, url: str) -> str:
    claimed = [
        normalize_space(t)
        for t in (
            text_of(signals.article.get("headline")),
            signals.first("og:title"),
            signals.first("twitter:title"),
            next(iter(signals.itemprops.get("headline", ())), ""),
            signals.first("dc.title", "title", "headline"),
            text_of(signals.article.get("name")),
            signals.title_tag,
        )
        if t and t.strip()
    ]
    headings = _headings(root)
    # The visible headline, when a machine-readable title vouches for it.
    for heading in headings:
        if any(similar(heading, c) for c in claimed):
            return heading
    for claim in claimed:
        stripped = _strip_site(claim, site_name, url)
        for heading in headings:
            if similar(heading, stripped):
                return heading
    if claimed:
        return _printed_title(root, claimed) or _strip_site(claimed[0], site_name, url)
    return headings[0] if headings else ""


def _printed_title(root: HtmlElement, claimed: list[str]) -> str:
    """The part of a claimed title that the page prints by itself, in whatever element
    (old layouts print the headline in a big <font>): "Site: Headline" gives "Headline"
    even when nothing names the site."""
    body = root.find("body")
    if body is None:
        return ""
    wanted: dict[str, str] = {}
    for claim in claimed:
        cuts = list(_TITLE_PARTS.finditer(claim))
        for part in (claim, *(claim[c.end() :] for c in cuts), *(claim[: c.start()] for c in cuts)):
            key = word_key(part)
            # The headline is the bulk of a title; a short part is the site's name.
            if key.count(" ") >= 2 and 2 * len(part) >= len(claim):
                wanted.setdefault(key, normalize_space(part))
    if not wanted:
        return ""
    longest = max(map(len, wanted))
    best = ""
    for element in body.iter():
        text = element.text
        if text and len(text) <= 2 * longest and isinstance(element.tag, str):
            found = wanted.get(word_key(text), "")
            if len(found) > len(best) and element.tag != "a":
                best = found
    return best


def _headings(root: HtmlElement) -> list[str]:
    found = []
    for element in root.iter("h1"):
        text = normalize_space(element.text_content())
        if 3 <= len(text) <= 300:
            found.append(text)
        if len(found) == 5:
            break
    if not found:
        for element in root.xpath(
            "//*[self::h2 or self::div or self::span or self::p][contains(@class, 'title')]"
            "[not(ancestor::nav or ancestor::footer or ancestor::aside)][position() < 4]"
        ):
            text = normalize_space(element.text_content())
            if 3 <= len(text) <= 300:
                found.append(text)
    return found


def _strip_site(title: str, site_name: str, url: str) -> str:
    """The title without " | Site Name" and its kin."""
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    host_words = set(words(urlsplit(url).hostname or "")) - {"www", "com", "org", "net"}
    site_words = set(words(site_name)) | host_words

    def is_site(part: str) -> bool:
        part_words = set(words(part))
        return bool(part_words) and (
            part_words <= site_words | {"the", "blog", "news", "magazine", "online"}
            or normalize_space(part).lower() == site_name.lower()
            or "".join(words(part)) in host_words
        )

    kept = [p for p in parts if not is_site(p)]
    if kept and len(kept) < len(parts):
        # Rejoin with the separators the title used between the kept parts.
        first, last = kept[0], kept[-1]
        start, end = title.find(first), title.rfind(last) + len(last)
        return normalize_space(title[start:end]) if 0 <= start < end else first
    return title
