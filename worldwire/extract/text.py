"""Small text helpers shared by the extraction modules."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def normalize_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """Lower-cased word tokens (NFKC, so that full-width and compatibility forms match)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def word_key(text: str) -> str:
    """The words of text, lower-cased, one space apart: equal for texts that differ only
    in case, punctuation and spacing."""
    return " ".join(words(text))


def similar(a: str, b: str, threshold: float = 0.6) -> bool:
    """Whether two short texts (titles) say the same: one contains the other, or their
    word sets overlap enough."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    ja, jb = " ".join(wa), " ".join(wb)
    if ja == jb:
        return True
    shorter, longer = (ja, jb) if len(ja) <= len(jb) else (jb, ja)
    if len(shorter) >= 12 and shorter in longer:
        return True
    sa, sb = set(wa), set(wb)
    return len(sa & sb) / len(sa | sb) >= threshold
