"""When the article was published and updated, from the strongest witness at hand:
tags that name the article's publication time, then the date printed under the
headline, then generic date tags, the URL, and the modification time."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from lxml.html import HtmlElement

from worldwire.extract.cues import LazyCues
from worldwire.extract.dates import date_from_url, parse_date
from worldwire.extract.structured import Signals, text_of
from worldwire.extract.text import normalize_space

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


def published_date(
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
        or updated_date(signals, now)
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


def updated_date(signals: Signals, now: datetime | None) -> str | None:
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
