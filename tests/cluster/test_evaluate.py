from __future__ import annotations

import pytest

from worldwire.cluster.evaluate import score


def test_perfect_clustering_scores_one() -> None:
    gold = {1: "a", 2: "a", 3: "b"}
    result = score({1: 10, 2: 10, 3: 11}, gold)
    assert result.bcubed.f1 == pytest.approx(1.0)
    assert result.pairwise.f1 == pytest.approx(1.0)


def test_all_in_one_cluster() -> None:
    gold = {1: "a", 2: "a", 3: "b", 4: "b"}
    result = score({1: 0, 2: 0, 3: 0, 4: 0}, gold)
    # Each article's cluster is half its own story; recall is whole.
    assert result.bcubed.precision == pytest.approx(0.5)
    assert result.bcubed.recall == pytest.approx(1.0)
    # 6 predicted pairs, 2 of them true.
    assert result.pairwise.precision == pytest.approx(2 / 6)
    assert result.pairwise.recall == pytest.approx(1.0)


def test_singletons() -> None:
    gold = {1: "a", 2: "a", 3: "a"}
    result = score({1: 1, 2: 2, 3: 3}, gold)
    assert result.bcubed.precision == pytest.approx(1.0)
    assert result.bcubed.recall == pytest.approx(1 / 3)
    assert result.pairwise.recall == 0.0
    assert result.predicted_stories == 3 and result.gold_stories == 1


def test_missing_prediction_is_an_error() -> None:
    with pytest.raises(ValueError):
        score({1: 1}, {1: "a", 2: "a"})
