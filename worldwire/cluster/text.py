"""Words of an article for clustering: weighted terms with names and numbers marked.

Language-agnostic on purpose, so that one story told in several languages can meet on
its names and numbers: words are lower-cased and cut to a short prefix (a crude but
multilingual stem). Names (capitalised inside a sentence, acronyms, mixed case) and
numbers of two digits or more weigh more, because they are what tells two look-alike
events apart and what stays the same across languages.
"""

from __future__ import annotations

import re

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
    if not text:
        return
    found = _TOKEN.findall(text, start) if end is None else _TOKEN.findall(text, start, end)
    if not found:
        return
    title_case = headline and _is_title_case(text[start:end])
    unspaced = _UNSPACED.search(text, start) is not None
    as_name = weight * name_weight
    keep = words.append if words is not None else _ignore
    get, add_name = counts.get, names.add
    opening = found[0][1]  # the first token opens a sentence
    for sentence_end, token in found:
        if token.islower() and not unspaced:
            # The common case, kept short: a plain lower-case word.
            keep(token)
            if len(token) > 1 and token not in STOPWORDS:
                key = token[:stem_chars] if stem_chars else token
                counts[key] = get(key, 0.0) + weight
            continue
        lower = token.lower()
        keep(lower)
        if unspaced and _UNSPACED.search(token):
            for i in range(max(1, len(token) - 1)):
                pair = token[i : i + 2]
                counts[pair] = get(pair, 0.0) + weight
            continue
        if token[0].isdigit():
            if "," in token or "." in token:
                token = _number(token)
            # One-digit numbers are everywhere ("2 people"); longer ones are specific.
            if len(token) > 1:
                counts[token] = get(token, 0.0) + as_name
                add_name(token)
            else:
                counts[token] = get(token, 0.0) + weight
            continue
        if len(token) < 2 or lower in STOPWORDS:
            continue
        # Names are cut like any word, so that a name opening a sentence is the same
        # term as the name inside one; they only weigh more.
        key = lower[:stem_chars] if stem_chars else lower
        initial = bool(sentence_end) or token is opening
        if token[1:] != lower[1:] or (token[0].isupper() and not title_case and not initial):
            counts[key] = get(key, 0.0) + as_name
            add_name(key)
        else:
            counts[key] = get(key, 0.0) + weight


def _number(token: str) -> str:
    """One spelling of a number in any language: "3,400" and "3.400" are 3400, "6,0" and
    "6.0" are 6.0 (a group of three digits after the mark makes it a thousands mark)."""
    parts = re.split(r"[.,]", token)
    if all(len(part) == 3 for part in parts[1:]):
        return "".join(parts)
    return "".join(parts[:-1]) + "." + parts[-1]


def _ignore(word: str) -> None:
    pass


def words(text: str) -> list[str]:
    """The tokens of `text` as `add_terms` sees them, lower-cased."""
    return WORD.findall(text.lower())
