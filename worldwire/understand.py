"""What an article is about, from its text: language, countries and topics; and the
whole reading of an article page (extraction, then understanding). Pure functions
composing the stages, so the pipeline can run them on the event loop for a feed's
short texts and in the process pool for whole pages."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from worldwire.cluster import Doc, Prepared, prepare
from worldwire.enrich import classify_topics, tag_countries, url_sections
from worldwire.extract import Extraction, SiteProfile, detect_language, extract, learn

# Understanding reads this much of a feed's summary on the event loop; the rest of a
# long text is read in the pool.
FEED_TEXT_CHARS = 1500
WALLS = ("paywall", "consent-wall")


@dataclass(slots=True, frozen=True)
class Reading:
    language: str
    countries: tuple[str, ...]
    topics: tuple[str, ...]


def read_text(
    title: str,
    text: str,
    *,
    declared_language: str = "",
    source_country: str = "",
    categories: Sequence[str] = (),
    url: str = "",
) -> Reading:
    guess = detect_language(title, text, declared_language)
    # WorldWire speaks ISO 639-1; a detector's other codes ("pcm") defer to the feed.
    language = guess.code if len(guess.code) == 2 else declared_language[:2].lower()
    countries = tuple(tag.code for tag in tag_countries(title, text, language, source_country))
    topics = tuple(classify_topics(title, text, [*categories, *url_sections(url)], language))
    return Reading(language, countries, topics)


@dataclass(slots=True)
class Understood:
    """A whole text read: what it is about, and the article as the clusterer sees it,
    with the clusterer's expensive preparation already done (in the worker)."""

    reading: Reading
    doc: Doc
    prepared: Prepared


@dataclass(slots=True)
class PageReading:
    extraction: Extraction
    understood: Understood | None  # None when the page holds no article (a wall, an error)
    profile: dict[str, object] | None  # the site's profile, as learnt after this page
    status: str  # extract_status for the store: "ok:<method>", "paywall", "failed: ..."


def understand(
    doc: Doc,
    *,
    declared_language: str = "",
    source_country: str = "",
    categories: Sequence[str] = (),
) -> Understood:
    """Read a whole text (doc.text) and prepare it for the clusterer. Runs in a worker."""
    reading = read_text(
        doc.title,
        doc.text,
        declared_language=declared_language,
        source_country=source_country,
        categories=categories,
        url=doc.url,
    )
    doc = dataclasses.replace(doc, lang=reading.language, countries=reading.countries)
    return Understood(reading, doc, prepare(doc))


def read_page(
    html: bytes,
    url: str,
    profile: dict[str, object] | None,
    *,
    doc: Doc,
    declared_language: str = "",
    source_country: str = "",
    categories: Sequence[str] = (),
) -> PageReading:
    """Extract the article from its page and understand it. Runs in a worker process.
    `doc` is the article as stored (its title, URL, source and time), without text."""
    known = SiteProfile.from_dict(profile) if profile else None
    extraction = extract(html, url, profile=known)
    learnt = learn(known, html, extraction)
    profile_out = learnt.to_dict() if learnt is not None else profile
    walls = [flag for flag in extraction.flags if flag in WALLS]
    if walls:
        return PageReading(extraction, None, profile_out, walls[0])
    if not extraction.text.strip():
        return PageReading(extraction, None, profile_out, "failed: no article text on the page")
    understood = understand(
        dataclasses.replace(doc, title=doc.title or extraction.title, text=extraction.text),
        declared_language=extraction.language or declared_language,
        source_country=source_country,
        categories=categories,
    )
    return PageReading(extraction, understood, profile_out, f"ok:{extraction.method}")


def warm_up() -> None:
    """Load the models and indexes once per worker process, not on the first page."""
    read_text(
        "Warm-up in Paris",
        "The minister met reporters in Paris and Berlin.",
        declared_language="en",
    )
