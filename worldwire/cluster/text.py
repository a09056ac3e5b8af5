"""Words of an article for clustering: weighted terms with names and numbers marked.

Language-agnostic on purpose, so that one story told in several languages can meet on
its names and numbers: words are lower-cased and cut to a short prefix (a crude but
multilingual stem). Names (capitalised inside a sentence, acronyms, McDonald) and
numbers of two digits or more weigh more, because they are what tells two look-alike
events apart and what stays the same across languages. A number has one spelling in
every language ("3,400" and "3.400" are 3400).
"""

from __future__ import annotations

import re
from collections import Counter

# Small, high-frequency function words in the main news languages. The IDF weighting
# already damps common words; this list only keeps them out of names and the index.
STOPWORDS = frozenset(
    """a about after again against all also am an and any are as at be been before being
    between both but by can could did do does during each few for from further had has have
    having he her here hers him his how i if in into is it its just me more most my new no
    nor not now of off on once only or other our out over own same says said say she should
    so some such than that the their them then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would
    you your
    al als am auch auf aus bei bis das dass dem den der des die ein eine einem einen einer
    es für hat ist im mit nach nicht noch sich sie sind und von vor war wie wird zu zum zur
    au aux avec ce ces dans de du elle en est et il ils la le les leur lui mais ne nous ou
    par pas pour qu que qui sa se ses son sur un une
    con del el ella ellos es esta este las los lo más para pero por se según su sus una y
    da dei della delle di gli il nel non per più sono
    ao com como do dos em na no nos os pela pelo um uma
    и в во на не что с со по как из за от для это он она они к о у же
    """.split()  # noqa: SIM905 - a word list reads better as prose
)

# A token, with the sentence end (if any) right before it: a capital after one says
# nothing about a name.
WORD = re.compile(r"\d+(?:[.,:]\d+)*|\w+")
_TOKEN = re.compile(r"([.!?:;\"'“”«»\n][\s(]*)?(" + WORD.pattern + ")")
# A word starting with a capital, or with any letter outside a-z (Python skips the rest
# in C): the candidates for names.
_CAPITAL = re.compile(r"[A-Z\u00c0-\u024f\u0370-\u052f]\w*")
_SENTENCE_END = frozenset(".!?:;\"'“”«»\n")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
# Scripts written without spaces: a \w+ run is a whole phrase, so they are cut into
# overlapping character pairs instead.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def _is_title_case(text: str) -> bool:
    """Headlines Written Like This capitalise every word, so capitals say nothing there."""
    words = _LONG_WORD.findall(text)
    if len(words) < 3:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= 0.6 * len(words)


def add_terms(
    counts: dict[str, float],
    names: set[str],
    text: str,
    *,
    stem_chars: int,
    name_weight: float,
    weight: float = 1.0,
    start: int = 0,
    end: int | None = None,
    words: list[str] | None = None,
    headline: bool = False,
) -> None:
    """Add the terms of `text[start:end]` to `counts`, each word counting `weight`.

    A name or number counts `name_weight` times as much as a plain word and is also
    put in `names`. Words are cut to `stem_chars` characters (0 keeps them whole).
    Every token, lower-cased and whole, is appended to `words` if given (for the copy
    fingerprint, which then needs no second pass over the text). In a `headline`
    Written Like This, capitals say nothing.
    """
    part = text[start:end]
    if not part:
        return
    if _UNSPACED.search(part):
        _add_unspaced(counts, names, part, stem_chars, name_weight, weight, words, headline)
        return
    # Counted in C: the words, then each distinct word once in Python.
    tokens = WORD.findall(part.lower())
    if words is not None:
        words.extend(tokens)
    get, add_name = counts.get, names.add
    as_name = weight * name_weight
    for token, times in Counter(tokens).items():
        if token[0].isdigit():
            key = _number(token) if "," in token or "." in token else token
            # One-digit numbers are everywhere ("2 people"); longer ones are specific.
            if len(key) > 1:
                counts[key] = get(key, 0.0) + as_name * times
                add_name(key)
            else:
                counts[key] = get(key, 0.0) + weight * times
        elif len(token) > 1 and token not in STOPWORDS:
            key = token[:stem_chars] if stem_chars else token
            counts[key] = get(key, 0.0) + weight * times
    # Then the few words with a capital (or a letter outside a-z), to find the names:
    # each of those counts the extra weight of a name.
    title_case = headline and _is_title_case(part)
    extra = as_name - weight
    for match in _CAPITAL.finditer(part):
        at, token = match.start(), match.group()
        if (at and part[at - 1].isalnum()) or token.islower() or len(token) < 2:
            continue  # inside a word, or a lower-case accented word
        lower = token.lower()
        if lower in STOPWORDS:
            continue
        if token[1:] != lower[1:] or (
            token[0].isupper() and not title_case and not _opens_sentence(part, at)
        ):
            key = lower[:stem_chars] if stem_chars else lower
            counts[key] = get(key, 0.0) + extra
            add_name(key)


def _opens_sentence(text: str, at: int) -> bool:
    i = at - 1
    while i >= 0 and text[i] in " \t(":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _add_unspaced(
    counts: dict[str, float],
    names: set[str],
    text: str,
    stem_chars: int,
    name_weight: float,
    weight: float,
    words: list[str] | None,
    headline: bool,
) -> None:
    """`add_terms` token by token, for text with scripts written without spaces."""
    title_case = headline and _is_title_case(text)
    first = True
    for sentence_end, token in _TOKEN.findall(text):
        initial, first = first or bool(sentence_end), False
        lower = token.lower()
        if words is not None:
            words.append(lower)
        if _UNSPACED.search(token):
            for i in range(max(1, len(token) - 1)):
                pair = token[i : i + 2]
                counts[pair] = counts.get(pair, 0.0) + weight
            continue
        if token[0].isdigit():
            key = _number(token) if "," in token or "." in token else token
            named = len(key) > 1
        elif len(token) < 2 or lower in STOPWORDS:
            continue
        else:
            key = lower[:stem_chars] if stem_chars else lower
            named = token[1:] != lower[1:] or (
                token[0].isupper() and not title_case and not initial
            )
        counts[key] = counts.get(key, 0.0) + (weight * name_weight if named else weight)
        if named:
            names.add(key)


def _number(token: str) -> str:
    """One spelling of a number in any language: "3,400" and "3.400" are 3400, "6,0" and
    "6.0" are 6.0 (a group of three digits after the mark makes it a thousands mark)."""
    parts = re.split(r"[.,]", token)
    if all(len(part) == 3 for part in parts[1:]):
        return "".join(parts)
    return "".join(parts[:-1]) + "." + parts[-1]


def words(text: str) -> list[str]:
    """The tokens of `text` as `add_terms` sees them, lower-cased."""
    return WORD.findall(text.lower())
