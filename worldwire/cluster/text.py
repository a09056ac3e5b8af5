"""Words of an article for clustering: weighted terms with names and numbers marked.

Language-agnostic on purpose, so that one story told in several languages can meet on
its names and numbers: words are lower-cased and cut to a short prefix (a crude but
multilingual stem). Names (capitalised inside a sentence, acronyms, mixed case) and
numbers of two digits or more weigh more, because they are what tells two look-alike
events apart and what stays the same across languages.
"""

from __future__ import annotations

import re
from collections import defaultdict

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

_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|\w+")
_SENTENCE_END = frozenset(".!?:;\"'“”«»\n")
# Scripts written without spaces: a \w+ run is a whole phrase, so they are cut into
# overlapping character pairs instead.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def _is_title_case(text: str) -> bool:
    """Headlines Written Like This capitalise every word, so capitals say nothing there."""
    words = re.findall(r"[^\W\d_]{4,}", text)
    if len(words) < 3:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= 0.6 * len(words)


def _after_sentence_end(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t(":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def terms(
    text: str,
    stem_chars: int,
    name_weight: float,
    weight: float = 1.0,
    lead_chars: int = 0,
    lead_weight: float = 0.0,
) -> defaultdict[str, float]:
    """The terms of one field of an article, each with its summed weight.

    A name or number counts `name_weight` times as much as a plain word, and a word in
    the first `lead_chars` characters counts `lead_weight` more. Words are cut to
    `stem_chars` characters (0 keeps them whole).
    """
    out: defaultdict[str, float] = defaultdict(float)
    if not text:
        return out
    title_case = _is_title_case(text)
    in_lead = weight + lead_weight
    for match in _TOKEN.finditer(text):
        token = match.group()
        here = in_lead if match.start() < lead_chars else weight
        if _UNSPACED.search(token):
            for i in range(max(1, len(token) - 1)):
                out[token[i : i + 2]] += here
            continue
        lower = token.lower()
        if lower in STOPWORDS:
            continue
        first = token[0]
        if first.isdigit():
            # One-digit numbers are everywhere ("2 people"); longer ones are specific.
            out[lower] += here * (name_weight if len(token) > 1 else 1.0)
            continue
        if len(token) < 2:
            continue
        rest = token[1:]
        inner_capital = rest != rest.lower()
        is_name = inner_capital or (
            first.isupper() and not title_case and not _after_sentence_end(text, match.start())
        )
        # Names are cut like any word, so that a name opening a sentence is the same term
        # as the name inside one; they only weigh more.
        key = lower[:stem_chars] if stem_chars else lower
        out[key] += here * name_weight if is_name else here
    return out
