"""Class and id names of a page, collected once and searched with one regex scan.

Pruning, paywall detection and the search for a named article container all ask the
same question ("which elements does this pattern name?"). Asking it element by element
costs a Python call per element and pattern; here the names are joined into one string,
each pattern scans it once in C, and matches map back to their elements.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from lxml import etree
from lxml.html import HtmlElement

_NAMED = etree.XPath("//*[@class or @id]")


class CueIndex:
    __slots__ = ("_cues", "_elements", "_starts", "_text")

    def __init__(self, root: HtmlElement) -> None:
        self._elements: list[HtmlElement] = _NAMED(root)
        self._cues = [f"{e.get('class') or ''} {e.get('id') or ''}".lower() for e in self._elements]
        starts, position = [], 0
        for cue in self._cues:
            starts.append(position)
            position += len(cue) + 1
        self._starts = starts
        self._text = "\n".join(self._cues)

    def named(
        self, pattern: re.Pattern[str], needles: tuple[str, ...] = ()
    ) -> list[tuple[HtmlElement, str]]:
        """(element, its lower-cased "class id") for every element pattern matches, in
        document order. Patterns must not match across a line break.

        needles: literal strings of which every match contains one. Python's regex
        engine scans long alternations slowly; str.find on each needle is fast, and the
        pattern then only judges the few names that hold one."""
        if needles:
            return self._by_needles(pattern, needles)
        found: list[tuple[HtmlElement, str]] = []
        last = -1
        for match in pattern.finditer(self._text):
            index = bisect_right(self._starts, match.start()) - 1
            if index != last:
                found.append((self._elements[index], self._cues[index]))
                last = index
        return found

    def _by_needles(
        self, pattern: re.Pattern[str], needles: tuple[str, ...]
    ) -> list[tuple[HtmlElement, str]]:
        text, starts, hits = self._text, self._starts, set()
        for needle in needles:
            position = text.find(needle)
            while position != -1:
                hits.add(bisect_right(starts, position) - 1)
                position = text.find(needle, position + len(needle))
        return [
            (self._elements[i], self._cues[i])
            for i in sorted(hits)
            if pattern.search(self._cues[i])
        ]


class LazyCues:
    """A CueIndex built on first use, for searches that most pages never need."""

    __slots__ = ("_index", "_root")

    def __init__(self, root: HtmlElement) -> None:
        self._root = root
        self._index: CueIndex | None = None

    def get(self) -> CueIndex:
        if self._index is None:
            self._index = CueIndex(self._root)
        return self._index
