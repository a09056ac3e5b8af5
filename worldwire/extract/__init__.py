"""Article extraction, language detection and HTML sanitising.

    extract(html, url, profile=None) -> Extraction      one page, never raises on bad input
    learn(profile, html, result) -> SiteProfile | None  teach a host's article container
    detect_language(title, text, declared) -> LanguageGuess
    sanitize_html(html, base_url) -> str                 allow-listed HTML for readers
    plain_text(html) -> str                              tags stripped, entities unescaped

All functions are pure and their arguments and results pickle, so the pipeline can run
them in a process pool.
"""

from __future__ import annotations

from worldwire.extract.core import extract
from worldwire.extract.language import LanguageGuess, detect_language
from worldwire.extract.profile import learn
from worldwire.extract.result import Extraction, SiteProfile
from worldwire.extract.sanitize import plain_text, sanitize_html

__all__ = [
    "Extraction",
    "LanguageGuess",
    "SiteProfile",
    "detect_language",
    "extract",
    "learn",
    "plain_text",
    "sanitize_html",
]
