"""Title, author, dates, image, canonical URL and site name: what readers see first.

Each field has an ordered list of witnesses (JSON-LD, Open Graph, other <meta> tags,
microdata, the visible page). The visible headline wins when a machine-readable title
confirms it, because titles in <meta> tags carry site-name suffixes and SEO rewrites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from worldwire.extract.authors import find_authors
from worldwire.extract.cues import CueIndex
from worldwire.extract.dates import date_from_url, parse_date
from worldwire.extract.structured import Signals, names_of, text_of
from worldwire.extract.text import normalize_space, similar, words

_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»›·/•~*]+\s+|\s+::\s+|\s*\|\s*")
# Tags that name the publication time of this article specifically.
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "article.published",
    "article:published",
    "datepublished",
    "published_time",
    "og:published_time",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:recs:publishtime",
    "rnews:datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "citation_publication_date",
)
# Generic date tags: CMSs fill them with the page's build or edit time as often as not,
# so a date printed on the page beats them.
_WEAK_DATE_META = (
    "date",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "citation_date",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dcterms.modified",
    "article.updated",
)


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
        published=_published(root, signals, cues, base, title, now),
        updated=_updated(signals, now),
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


class LazyCues:
    __slots__ = ("_index", "_root")

    def __init__(self, root: HtmlElement) -> None:
        self._root = root
        self._index: CueIndex | None = None

    def get(self) -> CueIndex:
        if self._index is None:
            self._index = CueIndex(self._root)
        return self._index


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
        return _strip_site(claimed[0], site_name, url)
    return headings[0] if headings else ""


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


# --- dates -------------------------------------------------------------------------------


def _published(
    root: HtmlElement,
    signals: Signals,
    cues: LazyCues,
    url: str,
    title: str,
    now: datetime | None,
) -> str | None:
    strong = [
        text_of(signals.article.get("datePublished")),
        *(signals.meta.get(name, [""])[0] for name in _PUBLISHED_META),
        next(iter(signals.itemprops.get("datepublished", ())), ""),
        text_of(signals.article.get("dateCreated")),
        text_of(signals.page.get("datePublished")),
    ]
    weak = [signals.meta.get(name, [""])[0] for name in _WEAK_DATE_META]
    declared = _first_date(strong, now)
    if declared:
        declared = _local_midnight(declared)
        # A timestamp a day off from the day both the URL and the page print is in
        # another time zone than the newsroom: the printed day is the one readers see.
        in_url = date_from_url(url, now=now)
        if in_url and in_url != declared[:10] and _one_day_apart(in_url, declared[:10]):
            shown = _time_element(root, now) or _visible_date(cues, now)
            if shown and shown[:10] == in_url:
                return shown
        return declared
    return (
        _time_element(root, now)
        or _visible_date(cues, now)
        or _date_near_headline(root, title, now)
        or _first_date(weak, now)
        or date_from_url(url, now=now)
        or _updated(signals, now)
    )


_UTC_MIDNIGHT_ELSEWHERE = re.compile(r"^(\d{4}-\d\d-\d\d)T(?:2[0-3]):00:00\+00:00$")


def _local_midnight(stamp: str) -> str:
    """ "2022-11-06T23:00:00+00:00" is a CMS storing the day 2022-11-07 as local midnight
    in UTC: what the page means, and prints, is that day."""
    match = _UTC_MIDNIGHT_ELSEWHERE.match(stamp)
    if match is None:
        return stamp
    return (date.fromisoformat(match.group(1)) + timedelta(days=1)).isoformat()


def _one_day_apart(a: str, b: str) -> bool:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) == 1


def _first_date(values: list[str], now: datetime | None) -> str | None:
    for raw in values:
        if raw:
            found = parse_date(raw, now=now)
            if found:
                return found
    return None


def _updated(signals: Signals, now: datetime | None) -> str | None:
    values = [
        text_of(signals.article.get("dateModified")),
        *(signals.meta.get(name, [""])[0] for name in _MODIFIED_META),
        next(iter(signals.itemprops.get("datemodified", ())), ""),
    ]
    return _first_date(values, now)


_DATE_NEEDLES = (
    "date", "datum", "time", "publi", "posted", "submitted", "meta", "byline", "subline",
    "info", "fecha", "parution", "autho", "autor", "release", "created", "stamp",
)  # fmt: skip
_DATE_CUE = re.compile("|".join(_DATE_NEEDLES))
_DATE_TAGS = frozenset(
    {"div", "span", "p", "li", "small", "time", "h2", "h3", "h4", "ul", "footer", "a"}
)


def _visible_date(cues: LazyCues, now: datetime | None) -> str | None:
    """A date printed in an element whose class or id says it holds one (the byline
    line, "Posted on ...") — what a reader sees under the headline."""
    for element, _cue in cues.get().named(_DATE_CUE, _DATE_NEEDLES):
        if element.tag not in _DATE_TAGS:
            continue
        text = element.text_content()
        if len(text) > 200:
            continue
        found = parse_date(text, now=now) or parse_date(element.get("title") or "", now=now)
        if found:
            return found
    return None


def _date_near_headline(root: HtmlElement, title: str, now: datetime | None) -> str | None:
    """A date printed just above or below the headline, where bylines sit."""
    body = root.find("body")
    if body is None or len(title) < 8:
        return None
    text = normalize_space(body.text_content())
    anchor = text.find(title)
    if anchor < 0:
        return None
    return parse_date(text[max(0, anchor - 150) : anchor + 500], now=now)


def _time_element(root: HtmlElement, now: datetime | None) -> str | None:
    """A <time> or date-classed element near the headline, not in a sidebar or comment."""
    for element in root.xpath(
        "//time[@datetime or @pubdate]"
        "[not(ancestor::aside or ancestor::footer or ancestor::nav"
        " or ancestor::*[contains(@class, 'comment') or contains(@class, 'related')])]"
        "[position() < 3]"
    ):
        found = parse_date(element.get("datetime") or element.text_content(), now=now)
        if found:
            return found
    return None
