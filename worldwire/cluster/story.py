"""The state the clusterer keeps per live story and per article in it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from worldwire.cluster.fingerprint import Fingerprint
from worldwire.cluster.vectors import Vector, dot


@dataclass(slots=True)
class Member:
    """An article the clusterer remembers while its story is live."""

    doc_id: int
    story_id: int
    vector: Vector
    published: float  # 0.0: unknown
    duplicate_of: int | None = None
    fingerprint: Fingerprint | None = None


@dataclass(slots=True)
class StoryState:
    id: int
    centroid: Vector = field(default_factory=dict)  # sum of the originals' unit vectors
    norm2: float = 0.0  # |centroid|², kept exact as vectors come and go
    originals: list[int] = field(default_factory=list)
    copies: list[int] = field(default_factory=list)
    first: float = 0.0  # earliest and latest known publication time; 0.0: none known
    last: float = 0.0
    representative: int = 0

    def is_empty(self) -> bool:
        return not self.originals and not self.copies

    def similarity(self, vector: Vector) -> float:
        """Cosine between an article vector and the centroid."""
        return dot(vector, self.centroid) / math.sqrt(self.norm2) if self.norm2 > 0 else 0.0

    def gap(self, published: float) -> float | None:
        """Seconds between a time and the story's known span, or None if either is unknown."""
        if not published or not self.last:
            return None
        return max(0.0, self.first - published, published - self.last)

    def widen(self, published: float) -> None:
        if published:
            self.first = min(self.first, published) if self.first else published
            self.last = max(self.last, published)
