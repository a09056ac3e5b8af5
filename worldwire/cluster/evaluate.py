"""Clustering scores against gold labels: BCubed and pairwise precision, recall and F1.

Both are the measures of Miranda et al. 2018. BCubed averages over articles (how much of
an article's predicted story is truly its story, and how much of its true story it was
put with); pairwise counts pairs of articles, so large stories weigh quadratically.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class ClusterScores:
    bcubed: Scores
    pairwise: Scores
    articles: int
    predicted_stories: int
    gold_stories: int


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def score(predicted: Mapping[Key, Hashable], gold: Mapping[Key, Hashable]) -> ClusterScores:
    """Score a predicted story per article against the gold story per article.

    Only articles present in both mappings count; a missing prediction is an error
    the caller should see, so it raises instead of guessing.
    """
    missing = gold.keys() - predicted.keys()
    if missing:
        raise ValueError(f"{len(missing)} articles have no predicted story")
    cells = Counter((predicted[a], gold[a]) for a in gold)
    pred_sizes = Counter(predicted[a] for a in gold)
    gold_sizes = Counter(gold.values())
    n = len(gold)
    if n == 0:
        empty = Scores(0.0, 0.0, 0.0)
        return ClusterScores(empty, empty, 0, 0, 0)
    # BCubed: every article in a cell (p, g) of size c sees c/|p| precision and c/|g| recall.
    b_precision = sum(c * c / pred_sizes[p] for (p, _), c in cells.items()) / n
    b_recall = sum(c * c / gold_sizes[g] for (_, g), c in cells.items()) / n
    together = sum(c * (c - 1) // 2 for c in cells.values())
    pred_pairs = sum(c * (c - 1) // 2 for c in pred_sizes.values())
    gold_pairs = sum(c * (c - 1) // 2 for c in gold_sizes.values())
    p_precision = together / pred_pairs if pred_pairs else 1.0
    p_recall = together / gold_pairs if gold_pairs else 1.0
    return ClusterScores(
        bcubed=Scores(b_precision, b_recall, _f1(b_precision, b_recall)),
        pairwise=Scores(p_precision, p_recall, _f1(p_precision, p_recall)),
        articles=n,
        predicted_stories=len(pred_sizes),
        gold_stories=len(gold_sizes),
    )
