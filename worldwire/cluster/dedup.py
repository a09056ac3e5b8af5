"""An index of article fingerprints that answers: is this text a copy of one we have?

A copy is the same wire text republished: nearly the same shingles (resemblance), or a
trimmed version whose shingles the original mostly contains (containment). Candidates
come from an inverted index over sketch hashes, so a lookup touches only the articles
that share some shingles, never the whole index.

A brief (a sentence or two, under `FULL_WORDS` words) is a copy only by containment,
and of a text from its own source only if it is the same text: one site's boilerplate
("Read our full report on ...") around every item must not make its items copies.
"""

from __future__ import annotations

from collections import defaultdict

from worldwire.cluster.fingerprint import (
    FULL_WORDS,
    SHINGLE_WORDS,
    Fingerprint,
    containment,
    resemblance,
)

# Candidates must share this many sketch hashes before the estimate is worth computing;
# a copy shares dozens, an article on the same event one or two at most.
_MIN_SHARED = 4
# A hash held by this many articles is boilerplate ("All rights reserved ..."), no evidence.
_MAX_POSTINGS = 200
_FULL_SHINGLES = FULL_WORDS - SHINGLE_WORDS + 1


class DedupIndex:
    def __init__(self, min_resemblance: float = 0.5, min_containment: float = 0.8) -> None:
        self.min_resemblance = min_resemblance
        self.min_containment = min_containment
        self._prints: dict[int, tuple[Fingerprint, str]] = {}
        self._postings: defaultdict[int, list[int]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._prints)

    def is_copy(self, a: Fingerprint, b: Fingerprint) -> bool:
        if min(a.shingles, b.shingles) < _FULL_SHINGLES:
            return containment(a, b) >= self.min_containment
        return (
            resemblance(a, b) >= self.min_resemblance or containment(a, b) >= self.min_containment
        )

    def find(self, fp: Fingerprint, source: str = "") -> int | None:
        """The indexed article this one copies (the closest, if several), else None."""
        shared: defaultdict[int, int] = defaultdict(int)
        for h in fp.sketch:
            holders = self._postings.get(h)
            if holders and len(holders) <= _MAX_POSTINGS:
                for doc_id in holders:
                    shared[doc_id] += 1
        best, best_score = None, 0.0
        for doc_id, count in shared.items():
            other, other_source = self._prints[doc_id]
            brief = min(fp.shingles, other.shingles) < _FULL_SHINGLES
            # A brief shares only a few sketch hashes with the article it copies: the
            # containment estimate decides.
            if not brief and count < _MIN_SHARED:
                continue
            # A site's own brief again: a copy only if the same text (republished), not
            # a shared part of it (its boilerplate).
            own = brief and source == other_source and bool(source)
            if own and resemblance(fp, other) < self.min_resemblance:
                continue
            if self.is_copy(fp, other):
                score = resemblance(fp, other)
                if best is None or score > best_score:
                    best, best_score = doc_id, score
        return best

    def add(self, doc_id: int, fp: Fingerprint, source: str = "") -> None:
        self.remove(doc_id)
        self._prints[doc_id] = (fp, source)
        for h in fp.sketch:
            self._postings[h].append(doc_id)

    def remove(self, doc_id: int) -> None:
        entry = self._prints.pop(doc_id, None)
        if entry is None:
            return
        for h in entry[0].sketch:
            holders = self._postings[h]
            holders.remove(doc_id)
            if not holders:
                del self._postings[h]
