"""Readers' search syntax to FTS5: words (all must match), "exact phrases",
-excluded words and -"excluded phrases". Anything else is taken literally, so no
input can raise an FTS5 syntax error."""

from __future__ import annotations

import re

from worldwire.errors import QueryError

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 32


def _quote(text: str) -> str:
    words = _WORD.findall(text)
    return '"' + " ".join(words) + '"' if words else ""


def to_fts5(query: str) -> str:
    include: list[str] = []
    exclude: list[str] = []
    for match in _TOKEN.finditer(query or ""):
        negative = bool(match.group(1) or match.group(3))
        term = _quote(match.group(2) if match.group(2) is not None else match.group(4))
        if term:
            (exclude if negative else include).append(term)
    if len(include) + len(exclude) > MAX_TERMS:
        raise QueryError(f"a search may have at most {MAX_TERMS} terms")
    if not include:
        if exclude:
            raise QueryError("a search needs at least one word to find, not only exclusions")
        return ""
    expression = " AND ".join(include)
    for term in exclude:
        expression = f"({expression}) NOT {term}"
    return expression


def highlight_terms(query: str) -> list[str]:
    """The words a reader searched for (not the excluded ones), for highlighting."""
    words: list[str] = []
    for match in _TOKEN.finditer(query or ""):
        if match.group(1) or match.group(3):
            continue
        words.extend(
            _WORD.findall(match.group(2) if match.group(2) is not None else match.group(4))
        )
    return words
