"""The state the clusterer keeps per story and per article in it."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

from worldwire.cluster.fingerprint import Fingerprint
from worldwire.cluster.vectors import Vector, dot

_WEIGHT = itemgetter(1)
_RANK = itemgetter(1, 0)


@dataclass(slots=True)
class Member:
    """An article the clusterer remembers while its story is open."""

    doc_id: int
    story_id: int
    vector: Vector
    published: float  # 0.0: unknown
    duplicate_of: int | None = None
    fingerprint: Fingerprint | None = None
    source: str = ""
    names: frozenset[str] = frozenset()  # its terms that are names, numbers or places
    counted: tuple[str, ...] = ()  # the terms it added to the document frequencies
    lang: str = ""


@dataclass(slots=True)
class StoryState:
    id: int
    centroid: Vector = field(default_factory=dict)  # sum of the originals' unit vectors
    norm2: float = 0.0  # |centroid|², kept exact as vectors come and go
    names: dict[str, float] = field(default_factory=dict)  # name term -> centroid weight
    top_names: frozenset[str] = frozenset()  # its heaviest names, refreshed on change
    languages: Counter[str] = field(default_factory=Counter)  # of its originals
    originals: list[int] = field(default_factory=list)
    copies: list[int] = field(default_factory=list)
    first: float = 0.0  # earliest and latest known publication time; 0.0: none known
    last: float = 0.0
    representative: int = 0
    closed: bool = False  # quiet past the cold window: members dropped, centroid cut

    def is_empty(self) -> bool:
        return not self.originals and not self.copies

    def similarity(self, vector: Vector) -> float:
        """Cosine between an article vector and the centroid."""
        return dot(vector, self.centroid) / math.sqrt(self.norm2) if self.norm2 > 0 else 0.0

    def gap(self, moments: tuple[float, ...]) -> float | None:
        """Seconds between the nearest of some times and the story's known span, or None
        if the story has no known time or no time is given."""
        if not self.last:
            return None
        first, last = self.first, self.last
        gaps = [max(0.0, first - t, t - last) for t in moments if t]
        return min(gaps) if gaps else None

    def widen(self, published: float) -> None:
        if published:
            self.first = min(self.first, published) if self.first else published
            self.last = max(self.last, published)

    def name_similarity(self, vector: Vector, names: frozenset[str]) -> float:
        """Cosine between the names in an article vector and the story's names: all that
        two languages share."""
        own = {t: w for t, w in vector.items() if t in names}
        theirs = math.sqrt(sum(w * w for w in self.names.values()))
        if not own or not theirs:
            return 0.0
        norm = math.sqrt(sum(w * w for w in own.values()))
        return dot(own, self.names) / (norm * theirs)

    def add_names(self, member: Member, sign: float, keep: int) -> None:
        if member.lang:
            self.languages[member.lang] += 1 if sign > 0 else -1
            if self.languages[member.lang] <= 0:
                del self.languages[member.lang]
        names, vector = self.names, member.vector
        for term in member.names:
            weight = vector.get(term)
            if weight is None:
                continue
            left = names.get(term, 0.0) + sign * weight
            if left > 1e-9:
                names[term] = left
            else:
                names.pop(term, None)
        # Equal weights are broken by the term, not by the order names came in.
        top = heapq.nlargest(keep, names.items(), key=_RANK) if len(names) >= keep else ()
        self.top_names = frozenset(term for term, _ in top)

    def close(self, keep_terms: int) -> list[str]:
        """Drop the members and all but the heaviest centroid terms; the dropped terms."""
        self.closed = True
        self.originals.clear()
        self.copies.clear()
        centroid = self.centroid
        if len(centroid) <= keep_terms:
            return []
        kept = dict(heapq.nlargest(keep_terms, centroid.items(), key=_WEIGHT))
        dropped = [t for t in centroid if t not in kept]
        self.centroid = kept
        self.norm2 = sum(w * w for w in kept.values())
        return dropped
