"""Content fingerprints for spotting syndicated copies: bottom-k MinHash over word shingles.

A fingerprint keeps the k smallest 64-bit hashes of a text's 5-word shingles and how
many distinct shingles there were. Two such sketches estimate the Jaccard resemblance of
the two shingle sets, and with the set sizes, how much of the shorter text the longer
one contains (a trimmed copy). Hashes are computed with a fixed function, never
Python's salted `hash`, so a fingerprint stored as bytes stays valid after a restart.
"""

from __future__ import annotations

import heapq
import re
import struct
import zlib
from dataclasses import dataclass

SHINGLE_WORDS = 5
SKETCH_SIZE = 128
# A feed summary is a sentence or two: too little text to call anything a copy.
MIN_WORDS = 60

_WORD = re.compile(r"\w+")
_MASK = (1 << 64) - 1
_MULTIPLIER = 0x9E3779B97F4A7C15  # 2^64 / golden ratio, odd: a bijection mod 2^64


@dataclass(frozen=True, slots=True)
class Fingerprint:
    shingles: int  # distinct shingles in the text
    sketch: tuple[int, ...]  # the smallest shingle hashes, ascending

    def to_bytes(self) -> bytes:
        return struct.pack(f"<I{len(self.sketch)}Q", self.shingles, *self.sketch)

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        count = (len(data) - 4) // 8
        if count < 0 or len(data) != 4 + 8 * count:
            raise ValueError(f"not a fingerprint: {len(data)} bytes")
        shingles, *sketch = struct.unpack(f"<I{count}Q", data)
        return cls(shingles, tuple(sketch))


def fingerprint(text: str) -> Fingerprint | None:
    """The fingerprint of an article body, or None when it is too short to judge."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    encoded = [w.encode() for w in words]
    # CRC-32 of the shingle, spread over 64 bits by Fibonacci hashing: cheap, stable,
    # and evenly ordered, which is all a bottom-k sample needs.
    hashes = {
        (zlib.crc32(b" ".join(encoded[i : i + SHINGLE_WORDS])) * _MULTIPLIER) & _MASK
        for i in range(len(encoded) - SHINGLE_WORDS + 1)
    }
    return Fingerprint(len(hashes), tuple(heapq.nsmallest(SKETCH_SIZE, hashes)))


def resemblance(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard resemblance of the two shingle sets.

    The k smallest hashes of the union are a uniform sample of it; the share of that
    sample present in both sketches estimates |A ∩ B| / |A ∪ B|.
    """
    k = min(SKETCH_SIZE, max(len(a.sketch), len(b.sketch)))
    sample = heapq.nsmallest(k, set(a.sketch) | set(b.sketch))
    if not sample:
        return 0.0
    # A full sketch holds k hashes, so the union's k smallest never pass its largest:
    # membership of each sampled hash is known exactly on both sides.
    in_a, in_b = set(a.sketch), set(b.sketch)
    both = sum(1 for h in sample if h in in_a and h in in_b)
    return both / len(sample)


def containment(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated share of the shorter text's shingles that the other text also has."""
    jaccard = resemblance(a, b)
    shared = jaccard * (a.shingles + b.shingles) / (1.0 + jaccard)
    smaller = min(a.shingles, b.shingles)
    return min(1.0, shared / smaller) if smaller else 0.0
