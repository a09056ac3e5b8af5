"""Sparse TF-IDF vectors with document frequencies learnt from the stream itself.

A vector is a plain dict term -> weight, L2-normalised. Each article is weighted once,
with the document frequencies known when it arrives, and keeps that vector: a story's
centroid is then a plain sum whose norm can be kept up to date exactly and cheaply.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from operator import itemgetter

Vector = dict[str, float]
PLACE = "@"  # the mark of a language-free place term
_WEIGHT = itemgetter(1)


class DocumentFrequencies:
    """How many articles held now contain each term."""

    __slots__ = ("counts", "total")

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.total = 0

    def add(self, terms: Iterable[str]) -> None:
        """Count one article holding `terms` (distinct; a mapping counts by its keys)."""
        self.counts.update(iter(terms))  # counted in C, not term by term in Python
        self.total += 1

    def remove(self, terms: Iterable[str]) -> None:
        """Uncount an article counted with `add`: a revised one is counted once only."""
        counts = self.counts
        for term in terms:
            left = counts.get(term, 0) - 1
            if left > 0:
                counts[term] = left
            else:
                counts.pop(term, None)
        self.total = max(0, self.total - 1)


def weigh(counts: Mapping[str, float], df: DocumentFrequencies, max_terms: int) -> Vector:
    """Sublinear TF times IDF, cut to the `max_terms` heaviest terms, L2-normalised.

    IDF is smoothed so that no term weighs zero while the stream is young. The cut keeps
    a long article from sharing a little of everything with every other long article,
    which would make full texts look alike and headlines not. Place terms are kept.
    """
    frequency, log = df.counts.get, math.log
    top = math.log(df.total + 1) + 1.0
    weights = {
        t: (1.0 + log(c if c > 1.0 else 1.0)) * (top - log(frequency(t, 0) + 1))
        for t, c in counts.items()
    }
    if max_terms and len(weights) > max_terms:
        kept = heapq.nlargest(max_terms, weights.items(), key=_WEIGHT)
        # Places ("@FR") are what every language shares: they always stay.
        kept.extend((t, w) for t, w in weights.items() if t[0] == PLACE)
        weights = dict(kept)
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if not norm:
        return {}
    return {t: w / norm for t, w in weights.items()}


def dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum(w * get(t, 0.0) for t, w in a.items())
