"""What an article is about, as topic slugs from a fixed list.

The method is transparent: weighted keywords per language, kept as data in
`data/topics/<slug>.yaml`, plus the outlet's own categories and URL sections ("Sport",
"Économie", "/politik/"), which are strong signals. A keyword counts more in the headline
and the lead; a topic is kept when it scores well both in absolute terms and against the
best topic.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import ahocorasick  # type: ignore[import-not-found]
import yaml

from worldwire.enrich.text import PLURAL_S, Script, fold, fold_key, match_end, script_of

TOPICS_DIR = Path(__file__).resolve().parent / "data" / "topics"
# (slug, label) of every topic, in the order the UI shows them; each slug has its
# keyword file TOPICS_DIR/<slug>.yaml.
TOPICS: tuple[tuple[str, str], ...] = (
    ("politics", "Politics"),
    ("business", "Business & economy"),
    ("technology", "Technology"),
    ("science", "Science"),
    ("health", "Health"),
    ("environment", "Environment & climate"),
    ("conflict", "Conflict & security"),
    ("crime-justice", "Crime & justice"),
    ("disaster", "Disasters & accidents"),
    ("sport", "Sport"),
    ("culture", "Culture & entertainment"),
    ("education", "Education"),
)
TOPIC_ORDER = tuple(slug for slug, _ in TOPICS)
STRONG_WEIGHT = 3.0
WORD_WEIGHT = 1.0
STEM_LETTERS = 6  # a keyword ending in "*" may go on for this many letters
SHORT_STEM_LETTERS = 2  # ... or this many after a stem of under four letters ("суд*")
TITLE_WEIGHT = 2.5
LEAD_WEIGHT = 1.5
LEAD_CHARS = 400
REPEAT_BONUS = 0.35  # each repeat of a keyword adds this share of its first occurrence
MAX_REPEATS = 4
CATEGORY_WEIGHT = 8.0
MIN_SCORE = 3.0  # one strong keyword, or a plain one in the headline and another
LONG_TEXT = 2500  # past this many characters, the bar rises slowly with the length
MIN_SHARE = 0.45  # of the best topic's score
MAX_TOPICS = 3


# What may follow a keyword without a "*": an English-style plural, or Arabic and Persian
# suffixes ("دیپلماتیک", "الانتخابات" come as one word).
_WORD_ENDINGS = {Script.SPACED: PLURAL_S, Script.ARABIC: 3}


@dataclass(frozen=True, slots=True)
class Keyword:
    """One keyword of one topic in one language."""

    topic: str
    weight: float
    lang: str
    extension: int  # letters that may follow, or PLURAL_S
    case: str  # the exact spelling required when the keyword has capitals ("AI"), else ""
    tail: re.Pattern[str] | None  # the rest of a phrase with inner stems ("черн* дыр*")


class InvalidKeyword(ValueError):
    pass


def _parse_term(term: str) -> tuple[str, int, re.Pattern[str] | None]:
    """A keyword's folded key, how many letters may follow it, and its phrase tail.

    The key is what the automaton looks for: the keyword up to its first "*". What follows
    a first inner stem ("tremblement* de terre") is checked with a small anchored pattern.
    """
    folded = fold_key(term)
    head, star, rest = folded.partition("*")
    script = script_of(head)
    if not head.strip():
        raise InvalidKeyword(f"{term!r}: empty keyword")
    if script == Script.UNSPACED and len(head) < 2:
        raise InvalidKeyword(f"{term!r}: one character matches too much")
    if star and len(head) < 2:
        raise InvalidKeyword(f"{term!r}: a stem needs at least two letters")
    if not star:
        return head, _WORD_ENDINGS.get(script, 0), None
    extension = STEM_LETTERS if len(head) >= 4 else SHORT_STEM_LETTERS
    if not rest:
        return head, extension, None
    tail = "".join(
        rf"\w{{0,{STEM_LETTERS}}}" if part == "*" else re.escape(part)
        for part in re.split(r"(\*)", rest)
    )
    return head, STEM_LETTERS, re.compile(rf"\w{{0,{extension}}}{tail}(?!\w)")


@dataclass(frozen=True, slots=True)
class _Topic:
    slug: str
    categories: frozenset[str]
    keywords: tuple[tuple[str, Keyword], ...]


def load_topic(path: Path) -> _Topic:
    """Read and check one topic file."""
    # The C loader when PyYAML has it: the pure-Python one takes most of a second here.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    slug = path.stem
    keywords: list[tuple[str, Keyword]] = []
    for lang, groups in raw["keywords"].items():
        for group, weight in (("strong", STRONG_WEIGHT), ("words", WORD_WEIGHT)):
            for term in groups.get(group, []):
                key, extension, tail = _parse_term(str(term))
                case = str(term).rstrip("*") if any(c.isupper() for c in str(term)) else ""
                keywords.append((key, Keyword(slug, weight, str(lang), extension, case, tail)))
    categories = frozenset(fold_key(str(c)) for c in raw.get("categories", []))
    return _Topic(slug, categories, tuple(keywords))


class TopicClassifier:
    """Keyword and category matcher over every topic file. Use `classifier()`."""

    def __init__(self, topics: Sequence[_Topic]) -> None:
        self.topics = {t.slug: t for t in topics}
        self.languages = frozenset(k.lang for t in topics for _, k in t.keywords)
        by_key: dict[str, list[Keyword]] = defaultdict(list)
        for topic in topics:
            for key, keyword in topic.keywords:
                by_key[key].append(keyword)
        self._automaton = ahocorasick.Automaton()
        for key, keywords in by_key.items():
            script = script_of(key)
            # Korean builds compounds ("탄도미사일"): a keyword may sit inside a longer word.
            script = Script.UNSPACED if script == Script.HANGUL else script
            self._automaton.add_word(key, (key, script, tuple(keywords)))
        self._automaton.make_automaton()
        self._category_topics: dict[str, set[str]] = defaultdict(set)
        for topic in topics:
            for name in topic.categories:
                self._category_topics[name].add(topic.slug)

    def scores(
        self, title: str, text: str, categories: Sequence[str] = (), lang: str = ""
    ) -> dict[str, float]:
        """Every topic's score for an article (topics with no signal are left out)."""
        doc = f"{title}\n{text}"
        folded = fold(doc)
        use_lang = lang if lang in self.languages else ""
        lead_end = len(title) + 1 + LEAD_CHARS
        found: dict[tuple[str, str], list[float]] = defaultdict(list)
        for last, (key, script, keywords) in self._automaton.iter(folded):
            start = last + 1 - len(key)
            if script == Script.SPACED and start and folded[start - 1].isalnum():
                continue  # inside a longer word
            stop = match_end(folded, start, last + 1, script, STEM_LETTERS)
            if stop < 0:
                continue
            zone = TITLE_WEIGHT if start < len(title) else LEAD_WEIGHT if start < lead_end else 1.0
            for keyword in keywords:
                if _fits(keyword, doc, folded, start, last + 1, stop, use_lang):
                    found[(keyword.topic, key)].append(keyword.weight * zone)
        totals: dict[str, float] = defaultdict(float)
        for (topic, _key), weights in found.items():
            weights.sort(reverse=True)
            first, repeats = weights[0], weights[1:MAX_REPEATS]
            totals[topic] += first + REPEAT_BONUS * sum(repeats)
        for topic in self.category_topics(categories):
            totals[topic] += CATEGORY_WEIGHT
        return dict(totals)

    def category_topics(self, categories: Iterable[str]) -> set[str]:
        """Topics named by an outlet's categories or URL sections."""
        topics: set[str] = set()
        for category in categories:
            for part in re.split(r"[/>|,;:]+", category):
                name = fold_key(part.replace("_", " "))
                named = self._category_topics.get(name)
                if named is None:  # "Sport News", "world-politics": try each word
                    named = set().union(
                        *(self._category_topics.get(w, set()) for w in name.split())
                    )
                topics |= named
        return topics


def _fits(
    keyword: Keyword, doc: str, folded: str, start: int, end: int, stop: int, lang: str
) -> bool:
    if lang and keyword.lang != lang:
        return False
    if keyword.tail is not None:
        return keyword.tail.match(folded, end) is not None
    extra = stop - end
    if keyword.extension == PLURAL_S:
        if extra > 1 or (extra == 1 and folded[end] != "s"):
            return False
    elif extra > keyword.extension:
        return False
    return not keyword.case or doc[start : start + len(keyword.case)] == keyword.case


@cache
def classifier() -> TopicClassifier:
    """The process-wide classifier, loaded on first use."""
    return TopicClassifier([load_topic(TOPICS_DIR / f"{slug}.yaml") for slug in TOPIC_ORDER])


def classify_topics(
    title: str, text: str, categories: Sequence[str] = (), lang: str = ""
) -> list[str]:
    """Topic slugs for an article, best first (at most three; none when nothing is clear).

    `categories` are the feed's categories and, if wanted, `url_sections(url)`;
    `lang` (ISO 639-1) picks that language's keywords, "" uses every language's.
    """
    base_lang = lang.split("-")[0].split("_")[0].lower()
    scores = classifier().scores(title, text, categories, base_lang)
    if not scores:
        return []
    floor = MIN_SCORE * max(1.0, (len(text) / LONG_TEXT) ** 0.5)
    best = max(scores.values())
    ranked = sorted(scores.items(), key=lambda item: (-item[1], TOPIC_ORDER.index(item[0])))
    return [slug for slug, score in ranked if score >= floor and score >= MIN_SHARE * best][
        :MAX_TOPICS
    ]


def url_sections(url: str) -> tuple[str, ...]:
    """The section-like segments of an article URL ("/sport/football/…" -> sport, football)."""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return tuple(p for p in parts[:-1] if not any(c.isdigit() for c in p) and len(p) <= 30)
