"""Text folding and script tests shared by the gazetteer and the topic keywords.

`fold` lower-cases and strips accents one character for one character, so that an offset
in the folded text is the same offset in the original: the tagger reads case and
neighbouring words from the original at the spot the folded match was found.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from enum import IntEnum

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_QUOTES = "\u2019\u2018\u02bc`\u00b4"
# Arabic and Persian spellings of the same letters, so that one key serves both.
_ARABIC = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ی", "ي": "ی", "ك": "ک", "ة": "ه"}
_FOLD_RANGES = ((0x41, 0x5A), (0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x52F), (0x1E00, 0x1EFF))


def _fold_char(ch: str) -> str:
    low = ch.lower()[:1] or ch
    base = unicodedata.normalize("NFD", low)[:1]
    return base if base and not unicodedata.combining(base) else low


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for first, last in _FOLD_RANGES:
        for cp in range(first, last + 1):
            ch = chr(cp)
            folded = _fold_char(ch)
            if folded != ch:
                table[cp] = folded
    for ch in _DASHES:
        table[ord(ch)] = " "
    for ch in _QUOTES:
        table[ord(ch)] = "'"
    for src, dst in _ARABIC.items():
        table[ord(src)] = dst
    return table


_TABLE = _build_table()


def fold(text: str) -> str:
    """Lower-case, strip Latin/Greek/Cyrillic accents, unify dashes and apostrophes.

    The result has exactly the length of the input.
    """
    if text.isascii():
        return text.lower().replace("-", " ").replace("`", "'")
    return text.translate(_TABLE)


def fold_key(name: str) -> str:
    """Fold a gazetteer or keyword entry: as `fold`, with runs of spaces collapsed."""
    return " ".join(fold(name).split())


def is_word_char(ch: str) -> bool:
    # Combining marks count as letters: Devanagari and Arabic vowel signs sit inside words.
    return ch.isalnum() or (ch > "\u02ff" and unicodedata.category(ch) in ("Mn", "Mc"))


class Script(IntEnum):
    """How a name written in a script is delimited in running text."""

    SPACED = 0  # Latin, Cyrillic, Greek, Devanagari...: a word boundary on both sides
    UNSPACED = 1  # Chinese, Japanese, Thai...: no boundaries at all
    HANGUL = 2  # Korean: a boundary before, particles may follow ("미국은")
    ARABIC = 3  # clitics may come before ("وفرنسا", "بالعراق")
    HEBREW = 4  # one-letter prefixes may come before


_SCRIPT_RANGES = sorted(
    [
        (0x0590, 0x05FF, Script.HEBREW),
        (0x0600, 0x06FF, Script.ARABIC),
        (0x0750, 0x077F, Script.ARABIC),
        (0x0E00, 0x0EFF, Script.UNSPACED),  # Thai, Lao
        (0x1000, 0x109F, Script.UNSPACED),  # Myanmar
        (0x1100, 0x11FF, Script.HANGUL),
        (0x1780, 0x17FF, Script.UNSPACED),  # Khmer
        (0x3040, 0x30FF, Script.UNSPACED),  # kana
        (0x3130, 0x318F, Script.HANGUL),
        (0x3400, 0x4DBF, Script.UNSPACED),
        (0x4E00, 0x9FFF, Script.UNSPACED),
        (0xAC00, 0xD7AF, Script.HANGUL),
        (0xF900, 0xFAFF, Script.UNSPACED),
        (0xFB50, 0xFDFF, Script.ARABIC),
        (0xFE70, 0xFEFF, Script.ARABIC),
        (0x20000, 0x2FFFF, Script.UNSPACED),
    ]
)
_RANGE_STARTS = [first for first, _, _ in _SCRIPT_RANGES]


def script_of(name: str) -> Script:
    """The delimiting script of a name, judged by its first letter."""
    first = next((ch for ch in name if ch.isalpha()), "a")
    cp = ord(first)
    if cp < 0x0590:
        return Script.SPACED
    at = bisect_right(_RANGE_STARTS, cp) - 1
    if at >= 0 and cp <= _SCRIPT_RANGES[at][1]:
        return _SCRIPT_RANGES[at][2]
    return Script.SPACED


def is_bicameral(ch: str) -> bool:
    """Whether a letter has an upper and a lower case (so capitals carry meaning)."""
    return ch.lower() != ch.upper()


PLURAL_S = 9  # `match_end` extension value: only an "s" may follow

# Letters that cling to the front of an Arabic word: wa-, fa-, bi-, li-, ka- and al-.
_ARABIC_PREFIXES = frozenset(
    {"", "و", "ف", "ب", "ل", "ک", "وب", "ول", "فب", "فل", "وک", "ال", "وال", "فال", "بال"}
    | {"کال", "وبال", "فبال", "وکال"}
)
_HEBREW_PREFIXES = frozenset("והבלמשכ")


def match_end(folded: str, start: int, end: int, script: Script, extension: int) -> int:
    """Where a word found at folded[start:end] really ends, or -1 if it is not a word there.

    `extension` is how many more letters may follow (inflection), or `PLURAL_S`.
    """
    if script == Script.UNSPACED:
        return end
    glued = start > 0 and is_word_char(folded[start - 1])
    if glued and (
        script in (Script.SPACED, Script.HANGUL) or not _clitic_ok(folded, start, script)
    ):
        return -1
    if script == Script.HANGUL:
        return end
    stop = end
    while stop < len(folded) and is_word_char(folded[stop]):
        stop += 1
    extra = stop - end
    if extra == 0:
        return end
    if extension == PLURAL_S:
        return stop if extra == 1 and folded[end] == "s" else -1
    return stop if extra <= extension else -1


def _clitic_ok(folded: str, start: int, script: Script) -> bool:
    begin = start
    while begin > 0 and is_word_char(folded[begin - 1]) and start - begin <= 4:
        begin -= 1
    if begin > 0 and is_word_char(folded[begin - 1]):
        return False
    prefix = folded[begin:start]
    if script == Script.ARABIC:
        return prefix in _ARABIC_PREFIXES
    return len(prefix) <= 2 and all(c in _HEBREW_PREFIXES for c in prefix)
