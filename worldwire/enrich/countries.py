"""Which countries an article is about.

Every name the gazetteer finds is weighed by what it is (a country's name counts more than a
city's) and by where it stands (the headline counts three times, the lead half again more
than the body). Ambiguous names get one reading per article from their context; names that
are also people ("Paris Hilton", "Michael Jordan") are dropped when a neighbouring word shows
a person; one weak mention deep in a long text is not enough to tag a country.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from worldwire.enrich.gazetteer import (
    KIND_BLOCK,
    KIND_CAPITAL,
    KIND_CITY,
    KIND_COUNTRY,
    KIND_DEMONYM,
    KIND_REGION,
    WEAK,
    Gazetteer,
    Mention,
    Rule,
    Sense,
    gazetteer,
)
from worldwire.enrich.text import fold

KIND_WEIGHT = {
    KIND_COUNTRY: 1.0,
    KIND_REGION: 0.8,
    KIND_CAPITAL: 0.8,
    KIND_CITY: 0.6,
    KIND_DEMONYM: 0.6,
}
_KIND_RANK = {KIND_COUNTRY: 0, KIND_REGION: 1, KIND_CAPITAL: 2, KIND_DEMONYM: 3, KIND_CITY: 4}
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 1.5
LEAD_MIN, LEAD_MAX = 80, 300  # the lead is the text's first sentence, within these bounds
MIN_SCORE = 1.2  # a country, capital or region in the lead, or two names in the body
LONG_TEXT = 3000  # past this many characters, the bar rises slowly with the length
MIN_SHARE = 0.2  # of the best country's score
SOURCE_PRIOR = 1.15
CUE_WEIGHT = 3.0
MAX_TAGS = 5
NO_COUNTRY = "-"

_SENTENCE_STOP = re.compile(r"[.!?]\s|[。！？]|\n")
_SENTENCE_END = re.compile(r"[.!?:;\"“”«»(\[\n]\s*$")
_WORD_BEFORE = re.compile(r"([\w.'’]+) +$")
_WORD_AFTER = re.compile(r"^ +([\w'’]+)")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that stand next to a place name without making it a person's name.
_NOT_NAMES = _words(
    """a about across after against ahead amid and as at before between but by during for from
    in inside into is near of on or over says said than the to under until via was were while
    with without will would president prime minister king queen prince princess crown emir sheikh
    foreign defence defense interior finance trade economy government army navy police military
    forces troops national federal central state states republic kingdom city county province
    region river valley lake sea gulf coast island islands bay mountains airport port university
    embassy parliament senate congress house court supreme capital border cup open grand prix
    league team squad olympic olympics world championship election elections war crisis talks
    summit deal accord agreement north south east west northern southern eastern western upper
    lower greater new old premier senator sen rep gov governor mayor general gen ambassador
    officials official authorities leader leaders media news times post daily tribune herald
    press agency exchange bank market markets stock stocks bourse"""
)
_HONORIFICS = _words("mr mr. mrs mrs. ms ms. dr dr. sir dame lady lord miss coach")
_LOCATIVES = _words(
    "in at near outside from to à au aux en dans près de nach bei aus cerca desde em no na "
    "nos nas perto a da di vicino в во из под около"
)


@dataclass(frozen=True, slots=True)
class CountryTag:
    """A country an article is about: ISO 3166-1 alpha-2 code, weighted score, mentions."""

    code: str
    score: float
    mentions: int


def tag_countries(
    title: str, text: str, lang: str = "", source_country: str = ""
) -> list[CountryTag]:
    """The countries (at most five) an article is about, best first.

    `lang` (ISO 639-1, e.g. "fr" or "pt-BR") narrows the names looked for; `source_country`
    (the outlet's country) only breaks ties and nudges a close call, it never adds a tag.
    """
    gaz = gazetteer()
    doc = f"{title}\n{text}"
    folded = fold(doc)
    mentions = gaz.find(doc, lang.split("-")[0].split("_")[0].lower(), folded)
    source = source_country.upper()
    title_end = len(title)
    readings = _read_mentions(gaz, doc, folded, mentions, title_end, source)
    lead_end = title_end + 1 + _lead_length(text)
    return _score(readings, doc, title_end, lead_end, len(text), source)


def _lead_length(text: str) -> int:
    end = _SENTENCE_STOP.search(text, LEAD_MIN, LEAD_MAX)
    return end.end() if end else min(len(text), LEAD_MAX)


def _read_mentions(
    gaz: Gazetteer, doc: str, folded: str, mentions: list[Mention], title_end: int, source: str
) -> list[tuple[Mention, Sense]]:
    mentions = [m for m in mentions if any(s.kind != KIND_BLOCK for s in m.senses)]
    mentions = _drop_people(doc, mentions, title_end)
    evidence = _evidence(mentions)
    chosen: dict[str, str] = {}
    readings: list[tuple[Mention, Sense]] = []
    for mention in mentions:
        rule = gaz.rule_for(mention.key)
        group = f"rule:{min(rule.names)}" if rule else mention.key
        if group not in chosen:
            chosen[group] = _choose(mention, rule, folded, evidence, source)
        code = chosen[group]
        senses = [s for s in mention.senses if s.code == code and s.kind != KIND_BLOCK]
        if senses:
            readings.append((mention, min(senses, key=lambda s: _KIND_RANK[s.kind])))
    return readings


def _drop_people(doc: str, mentions: list[Mention], title_end: int) -> list[Mention]:
    """Drop names used as people's names; one reading per name for the whole article."""
    title_cased = _title_cased(doc[:title_end])
    votes: dict[str, Counter[bool]] = defaultdict(Counter)
    person_at: set[int] = set()
    for mention in mentions:
        if not mention.person_risk or (title_cased and mention.start < title_end):
            continue
        person = _looks_like_person(doc, mention)
        votes[mention.key][person] += 1
        if person:
            person_at.add(mention.start)
    return [
        m
        for m in mentions
        if m.start not in person_at and not votes[m.key][True] > votes[m.key][False]
    ]


def _looks_like_person(doc: str, mention: Mention) -> bool:
    before = _WORD_BEFORE.search(doc, max(0, mention.start - 40), mention.start)
    if before:
        word = before.group(1)
        if word.lower() in _HONORIFICS:
            return True
        prefix = doc[max(0, before.start() - 3) : before.start()]
        sentence_start = before.start() == 0 or bool(_SENTENCE_END.search(prefix))
        if not sentence_start and _is_name_word(word):
            return True
    after = _WORD_AFTER.match(doc[mention.end : mention.end + 40])
    return bool(after and _is_name_word(after.group(1)))


def _is_name_word(word: str) -> bool:
    word = word.strip(".'’")
    if len(word) < 2 or not word[0].isupper() or word.isupper():
        return False
    low = fold(word)
    return low not in _NOT_NAMES and low not in gazetteer()


def _title_cased(title: str) -> bool:
    words = [w for w in title.split() if len(w) >= 4 and w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _evidence(mentions: Iterable[Mention]) -> tuple[Counter[str], Counter[str]]:
    """Unambiguous mentions per country: (places inside it, its name or people)."""
    local: Counter[str] = Counter()
    national: Counter[str] = Counter()
    for mention in mentions:
        codes = mention.codes
        if len(codes) != 1:
            continue
        (code,) = codes
        if any(s.flags & WEAK for s in mention.senses):
            continue
        kinds = {s.kind for s in mention.senses}
        if kinds & {KIND_CITY, KIND_CAPITAL, KIND_REGION}:
            local[code] += 1
        else:
            national[code] += 1
    return local, national


def _choose(
    mention: Mention,
    rule: Rule | None,
    folded: str,
    evidence: tuple[Counter[str], Counter[str]],
    source: str,
) -> str:
    """The reading of an ambiguous name, from cues, evidence, the source and the default."""
    codes = {s.code for s in mention.senses if s.kind != KIND_BLOCK}
    if len(codes) == 1 and rule is None:
        return next(iter(codes))
    local, national = evidence
    all_countries = all(s.kind in (KIND_COUNTRY, KIND_DEMONYM) for s in mention.senses)
    hits: dict[str, int] = {}
    default = ""
    if rule is not None:
        hits = rule.cue_hits(folded)
        default = rule.default
        codes |= set(rule.cues) | {default}
    best_rank = min(_KIND_RANK.get(s.kind, 9) for s in mention.senses)

    def support(code: str) -> tuple[float, int]:
        score = CUE_WEIGHT * hits.get(code, 0) + local[code]
        score += national[code] * (1.0 if all_countries else 0.25)
        score += 0.75 * (code == source) + 1.0 * (code == default)
        rank = min((_KIND_RANK.get(s.kind, 9) for s in mention.senses if s.code == code), default=9)
        return score, -(rank - best_rank)

    return max(sorted(codes), key=support)


def _score(
    readings: list[tuple[Mention, Sense]],
    doc: str,
    title_end: int,
    lead_end: int,
    text_len: int,
    source: str,
) -> list[CountryTag]:
    totals: dict[str, float] = defaultdict(float)
    counts: Counter[str] = Counter()
    strong: set[str] = set()
    for _, sense in readings:
        if not sense.flags & WEAK:
            strong.add(sense.code)
    for mention, sense in readings:
        code = sense.code
        if sense.flags & WEAK and code not in strong and not _after_locative(doc, mention):
            continue
        if mention.start < title_end:
            zone = TITLE_WEIGHT
        elif mention.start < lead_end:
            zone = LEAD_WEIGHT
        else:
            zone = 1.0
        totals[code] += KIND_WEIGHT[sense.kind] * zone
        counts[code] += 1
    if source in totals:
        totals[source] *= SOURCE_PRIOR
    if not totals:
        return []
    floor = MIN_SCORE * max(1.0, (text_len / LONG_TEXT) ** 0.5)
    best = max(totals.values())
    tags = [
        CountryTag(code, round(score, 3), counts[code])
        for code, score in totals.items()
        if score >= floor and score >= MIN_SHARE * best
    ]
    tags.sort(key=lambda t: (-t.score, t.code))
    return tags[:MAX_TAGS]


def _after_locative(doc: str, mention: Mention) -> bool:
    before = _WORD_BEFORE.search(doc, max(0, mention.start - 20), mention.start)
    return bool(before and before.group(1).lower() in _LOCATIVES)
