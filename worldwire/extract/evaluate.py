"""Scoring extraction against the labelled sets in ../shared/data/extraction (see its
README). One implementation, used by the quality-gate tests and by bench/extraction.py.

zyte: the article-extraction-benchmark's own metric. Tokens are `\\w+` runs; each text
becomes a multiset of 4-token shingles (one shorter shingle when it has fewer tokens);
per page TP/FP/FN are the multiset overlaps, normalised by their sum; precision and
recall are means over pages; F1 is the harmonic mean of those two means.

trafilatura-eval: each "with" snippet found in the whitespace-normalised text is a TP,
each missing one a FN, each "without" snippet found a FP, pooled over the corpus.
Title, author and date are exact matches after normalisation (NFKC, case-folded,
whitespace collapsed; authors as a set of names; dates as their day).
"""

from __future__ import annotations

import gzip
import json
import random
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:;|,|&|/|\band\b|\bund\b)\s*", re.I)

Triple = tuple[float, float, float]  # normalised TP, FP, FN of one page


# --- zyte ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ZytePage:
    id: str
    url: str
    html: bytes
    body: str  # the article text a person marked


def load_zyte(directory: Path) -> list[ZytePage]:
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        ZytePage(
            key,
            item.get("url", ""),
            gzip.decompress((directory / "html" / f"{key}.html.gz").read_bytes()),
            item.get("articleBody", ""),
        )
        for key, item in sorted(truth.items())
    ]


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def shingle_match(true: str, predicted: str) -> Triple:
    expected, got = _shingles(true), _shingles(predicted)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float


def prf(triples: Sequence[Triple]) -> PRF:
    precisions = [_precision(*t) for t in triples if t[0] + t[1] > 0]
    recalls = [_recall(*t) for t in triples if t[0] + t[2] > 0]
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    return PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def bootstrap_sd(triples: Sequence[Triple], rounds: int = 1000, seed: int = 0) -> PRF:
    """Standard deviation of each figure over resamples of the pages."""
    rng = random.Random(seed)
    samples = [prf([triples[rng.randrange(len(triples))] for _ in triples]) for _ in range(rounds)]
    return PRF(
        statistics.stdev(s.precision for s in samples),
        statistics.stdev(s.recall for s in samples),
        statistics.stdev(s.f1 for s in samples),
    )


# --- trafilatura-eval ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvalPage:
    url: str
    html: bytes
    with_snippets: tuple[str, ...]
    without_snippets: tuple[str, ...]
    title: str | None  # None: not labelled; "": the page has none
    author: str | None
    date: str | None


def load_trafilatura_eval(directory: Path) -> list[EvalPage]:
    labels = json.loads((directory / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, item in sorted(labels.items()):
        path = directory / "html" / f"{item['file']}.gz"
        pages.append(
            EvalPage(
                url,
                gzip.decompress(path.read_bytes()),
                tuple(s for s in item.get("with", []) if s),
                tuple(s for s in item.get("without", []) if s),
                _label(item.get("title")),
                _label(item.get("author")),
                _label(item.get("date")),
            )
        )
    return pages


def _label(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def snippet_counts(text: str, page: EvalPage) -> tuple[int, int, int]:
    flat = _SPACE.sub(" ", text)
    found = [_SPACE.sub(" ", s) in flat for s in page.with_snippets]
    tp = sum(found)
    fp = sum(_SPACE.sub(" ", s) in flat for s in page.without_snippets)
    return tp, fp, len(found) - tp


def snippet_f1(counts: Iterable[tuple[int, int, int]]) -> float:
    tp = fp = fn = 0
    for a, b, c in counts:
        tp, fp, fn = tp + a, fp + b, fn + c
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def normalize_field(field: str, value: str | None) -> object:
    text = unicodedata.normalize("NFKC", _SPACE.sub(" ", value or "")).strip().casefold()
    if field == "author":
        return frozenset(n for n in (p.strip(" .") for p in _AUTHOR_SEPARATORS.split(text)) if n)
    if field == "date":
        return text[:10]
    return text


@dataclass(frozen=True, slots=True)
class FieldScore:
    labelled: float  # accuracy over pages with a label, "" (no value) included
    nonempty: float  # accuracy over pages whose label is a value
    pages: int


def field_accuracy(field: str, pairs: Sequence[tuple[str | None, str | None]]) -> FieldScore:
    """pairs: (gold, predicted) for every page; unlabelled pages (gold None) are skipped."""
    labelled = [(g, p) for g, p in pairs if g is not None]
    nonempty = [(g, p) for g, p in labelled if g]

    def accuracy(items: list[tuple[str, str | None]]) -> float:
        hits = sum(normalize_field(field, g) == normalize_field(field, p) for g, p in items)
        return hits / len(items) if items else 0.0

    return FieldScore(accuracy(labelled), accuracy(nonempty), len(labelled))
