"""Content fingerprints for spotting syndicated copies: bottom-k MinHash over word shingles.

A fingerprint keeps the k smallest 64-bit hashes of a text's 5-word shingles and how
many distinct shingles there were. Two such sketches estimate the Jaccard resemblance of
the two shingle sets, and with the set sizes, how much of the shorter text the longer
one contains (a trimmed copy). A text of fewer than k shingles keeps them all, so its
estimates are exact. Hashes are computed with a fixed function, never Python's salted
`hash`, so a fingerprint stored as bytes stays valid after a restart.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass

import numpy as np

from worldwire.cluster.text import words

SHINGLE_WORDS = 5
SKETCH_SIZE = 128
# Fewer words than this is too little text to call anything a copy. A brief of a
# sentence or two has a fingerprint, but the index asks more of it (see dedup.py); one
# of fewer than SHINGLE_WORDS words is one shingle, the whole text.
MIN_WORDS = 3
# A text this long or longer is a whole article; shorter ones are briefs and summaries.
FULL_WORDS = 60

# One odd 64-bit multiplier per word position (splitmix64 and murmur3 constants): the
# shingle hash is their sum of products with the words' CRC-32s, mod 2^64, so that the
# same words in another order hash apart.
_MULTIPLIERS = np.array(
    [
        0x9E3779B97F4A7C15,
        0xBF58476D1CE4E5B9,
        0x94D049BB133111EB,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
    ],
    dtype=np.uint64,
)
_SHIFT = np.uint64(31)
_MIN_SAMPLE = 2  # sampled shingles a containment estimate needs


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
    return fingerprint_words(words(text))


def fingerprint_words(words: list[str]) -> Fingerprint | None:
    """`fingerprint` of a text already cut into its lower-cased words."""
    if len(words) < MIN_WORDS:
        return None
    # Whole arrays at a time: a shingle hash per word position, no Python loop per word.
    crcs = np.fromiter(map(zlib.crc32, map(str.encode, words)), np.uint64, len(words))
    width = min(SHINGLE_WORDS, len(words))
    n = len(words) - width + 1
    hashes = crcs[:n] * _MULTIPLIERS[0]
    for k in range(1, width):
        hashes += crcs[k : k + n] * _MULTIPLIERS[k]
    # Mix the high bits down, so that the low end of the order is evenly sampled.
    hashes ^= hashes >> _SHIFT
    hashes.sort()
    distinct = hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]
    return Fingerprint(len(distinct), tuple(distinct[:SKETCH_SIZE].tolist()))


def resemblance(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard resemblance of the two shingle sets.

    The k smallest hashes of the union are a uniform sample of it; the share of that
    sample present in both sketches estimates |A ∩ B| / |A ∪ B|.
    """
    in_a, in_b = set(a.sketch), set(b.sketch)
    union = sorted(in_a | in_b)[:SKETCH_SIZE]
    if not union:
        return 0.0
    # A full sketch holds k hashes, so the union's k smallest never pass its largest:
    # membership of each sampled hash is known exactly on both sides.
    bound = union[-1]
    both = sum(1 for h in in_a & in_b if h <= bound)
    return both / len(union)


def containment(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated share of the shorter text's shingles that the other text also has.

    Every shingle of the longer text hashing at most its sketch's largest value is in
    that sketch, so the shorter text's hashes up to there are a uniform sample whose
    presence in it is known exactly.
    """
    small, large = (a, b) if a.shingles <= b.shingles else (b, a)
    if not small.sketch or not large.sketch:
        return 0.0
    bound = min(_sketch_bound(small), _sketch_bound(large))
    sample = [h for h in small.sketch if h <= bound]
    # One shared phrase ("according to the U.S. Geological Survey") is no copy.
    if len(sample) < min(_MIN_SAMPLE, len(small.sketch)):
        return 0.0
    held = set(large.sketch)
    return sum(1 for h in sample if h in held) / len(sample)


def _sketch_bound(fp: Fingerprint) -> float:
    """The largest hash the sketch is complete up to: all of them if it is not full."""
    return fp.sketch[-1] if len(fp.sketch) >= SKETCH_SIZE else math.inf
