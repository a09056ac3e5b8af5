"""Who wrote the article, as the page credits it: names only, several joined with "; "."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from worldwire.extract.cues import CueIndex
from worldwire.extract.structured import Signals, names_of
from worldwire.extract.text import normalize_space, words

_PREFIX = re.compile(
    r"^(?:(?:written|posted|published|reported|text|story|words|photos?|eingestellt|beitrag|"
    r"artikel|ein beitrag|zum profil|geschrieben|verfasst|publicado|escrito|publié|écrit|"
    r"interview|kommentar|gastbeitrag|von der redaktion)\s+)?"
    r"(?:by|von|par|por|door|av|af|przez|autor(?:in)?|author|auteur|texto?)\s*[:：]?\s+",
    re.I,
)
# Italian and Portuguese bylines ("di Mario Rossi"); lower case only, since "Da Silva" is a name.
_LOWER_PREFIX = re.compile(r"^(?:di|da|de)\s+(?=[A-ZÀ-Ý])")
_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b|\bet\b|\by\b|\bi\b|/|\||·|•)\s*", re.I)
_NOT_A_NAME = re.compile(
    r"https?:|www\.|@\w+\.\w|\d{3,}|\b(?:admin|administrator|wordpress|webmaster|unknown|"
    r"anonymous|anonym|anónimo|staff writer|editorial staff|guest|user|posted|comments?|"
    r"share|follow|facebook|twitter|instagram|linkedin|e-?mail|view all|all posts|more from|"
    r"read more|subscribe|newsletter|updated|published|no author|copyright|rights reserved|"
    r"uncategori[sz]ed|kommentar|profil|publisher|gmbh|inc\.|ltd)\b",
    re.I,
)
_TRAILING_JUNK = re.compile(
    r"\s*(?:[|,–—-]\s*)?(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}.*|"
    r"\b(?:on|am|le|el|il|em)\s+\d.*|(?:updated|published|veröffentlicht|aktualisiert|"
    r"posted|publicado|publié)\b.*|\bshares?$)$",
    re.I,
)
_DOMAIN_LIKE = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")
# Matched against lower-cased class and id names (see CueIndex).
_BYLINE_CUE = re.compile(
    r"author|byline|\bbyl\b|writer|autor|verfasser|journalist|posted-?by|submitted|"
    r"screenname|zuozhe|bianji|redakteur"
)
_BYLINE_NEEDLES = (
    "author", "byl", "writer", "autor", "verfasser", "journalist", "posted", "submitted",
    "screenname", "zuozhe", "bianji", "redakteur",
)  # fmt: skip
_BYLINE_EXCLUDED = re.compile(
    r"comment|sidebar|related|widget|teaser|recommend|popular|site-?footer|bio\b|about-?the-?author",
    re.I,
)


def find_authors(
    root: HtmlElement, signals: Signals, cues: Callable[[], CueIndex], site_name: str = ""
) -> str:
    """Persons named by structured data first, then by the visible byline."""
    site = set(words(site_name))
    candidates: list[list[str]] = [
        _jsonld_people(signals.article.get("author")),
        _jsonld_people(signals.article.get("creator")),
        signals.meta.get("author", []),
        signals.meta.get("article:author", []),
        signals.meta.get("sailthru.author", []),
        signals.meta.get("parsely-author", []),
        signals.meta.get("dc.creator", []) + signals.meta.get("dcterms.creator", []),
        signals.meta.get("byl", []),
        signals.itemprops.get("author", [])[:3],
    ]
    fallback: list[str] = []
    for raw_names in candidates:
        names = clean_names(raw_names)
        people = [n for n in names if not _is_site(n, site)]
        if people:
            return "; ".join(people)
        fallback = fallback or names
    # The publisher credited as the author, when no person is named anywhere.
    return "; ".join(_visible_byline(root, cues()) or fallback)


def _is_site(name: str, site: set[str]) -> bool:
    """A publisher credited as the author ("Example News") is not a byline."""
    tokens = set(words(name))
    return bool(site) and bool(tokens) and tokens <= site


def _jsonld_people(value: Any) -> list[str]:
    """Person names first; an Organization credit only when no person is named."""
    items = value if isinstance(value, list) else [value]
    people = [
        n
        for item in items
        if not (isinstance(item, dict) and "organization" in str(item.get("@type", "")).lower())
        for n in names_of(item)
    ]
    return people or names_of(value)


def clean_names(raw: list[str]) -> list[str]:
    names: list[str] = []
    for value in raw:
        for name in _split(value):
            if name.lower() not in (n.lower() for n in names):
                names.append(name)
    return names[:6]


def _split(value: str) -> list[str]:
    value = normalize_space(value)
    if not value or len(value) > 200 or "://" in value or value.startswith("www."):
        return []
    value = _LOWER_PREFIX.sub("", _PREFIX.sub("", value))
    value = _TRAILING_JUNK.sub("", value)
    parts = [p.strip(" .,:;·|-–—") for p in _SPLIT.split(value)]
    return [p for p in parts if _is_name(p)]


def _is_name(text: str) -> bool:
    if len(text) < 2 or len(text) > 60 or _NOT_A_NAME.search(text) or _DOMAIN_LIKE.match(text):
        return False
    return 1 <= len(text.split()) <= 5 and any(ch.isalpha() for ch in text)


_AUTHOR_ATTRIBUTES = etree.XPath("//body//*[@rel='author' or contains(@itemprop, 'author')]")


def _visible_byline(root: HtmlElement, cues: CueIndex) -> list[str]:
    named = [
        e for e, cue in cues.named(_BYLINE_CUE, _BYLINE_NEEDLES) if not _BYLINE_EXCLUDED.search(cue)
    ]
    for element in [*named[:12], *_AUTHOR_ATTRIBUTES(root)[:4]]:
        if _in_excluded(element):
            continue
        # The name link inside a byline, when there is one, is cleaner than the whole line.
        links = [normalize_space(a.text_content()) for a in element.iter("a")]
        names = clean_names([t for t in links if t]) if links else []
        if not names:
            names = clean_names([element.text_content()])
        if names:
            return names
    return []


def _in_excluded(element: HtmlElement) -> bool:
    for depth, ancestor in enumerate(element.iterancestors()):
        if depth > 10:
            break
        if ancestor.tag in ("aside", "nav"):
            return True
        if ancestor.tag in ("body", "html", "article", "main"):
            continue  # their classes describe the whole page ("has-sidebar")
        cue = (ancestor.get("class") or "") + " " + (ancestor.get("id") or "")
        if _BYLINE_EXCLUDED.search(cue):
            return True
    return False
