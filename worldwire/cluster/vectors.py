"""Sparse TF-IDF vectors with document frequencies learnt from the stream itself.

A vector is a plain dict term -> weight, L2-normalised. Each article is weighted once,
with the document frequencies known when it arrives, and keeps that vector: a story's
centroid is then a plain sum whose norm can be kept up to date exactly and cheaply.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

Vector = dict[str, float]


class DocumentFrequencies:
    """How many articles seen so far contain each term."""

    __slots__ = ("counts", "total")

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.total = 0

    def add(self, terms: Iterable[str]) -> None:
        """Count one article holding `terms` (distinct; a mapping counts by its keys)."""
        counts = self.counts
        for term in terms:
            counts[term] += 1
        self.total += 1

    def idf(self, term: str) -> float:
        # Smoothed so that no term weighs zero while the stream is young.
        return 1.0 + math.log((self.total + 1) / (self.counts[term] + 1))


def weigh(counts: Mapping[str, float], df: DocumentFrequencies, max_terms: int) -> Vector:
    """Sublinear TF times IDF, cut to the `max_terms` heaviest terms, L2-normalised.

    The cut keeps a long article from sharing a little of everything with every other
    long article, which would make full texts look alike and headlines not.
    """
    weights = {t: (1.0 + math.log(max(c, 1.0))) * df.idf(t) for t, c in counts.items()}
    if max_terms and len(weights) > max_terms:
        weights = dict(sorted(weights.items(), key=lambda kv: kv[1], reverse=True)[:max_terms])
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if not norm:
        return {}
    return {t: w / norm for t, w in weights.items()}


def dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)
