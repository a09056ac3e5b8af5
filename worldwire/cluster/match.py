"""Which story an article joins: its score against each candidate story.

The score is the cosine between the article's vector and a story's centroid, as a
margin over a bar that rises with the length of the article (more words share more by
chance); an article in another language than the story's meets it on names, numbers
and places alone, over the bar of a vector that short. An article naming all of the
story's heaviest names clears a lower bar. The margin fades with the time between the
article and the story, on a scale that grows from a day for a headline to a year for a
full text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from operator import itemgetter

from worldwire.cluster.config import ClusterConfig
from worldwire.cluster.story import StoryState
from worldwire.cluster.vectors import Vector

_WEIGHT = itemgetter(1)
# The time scale grows geometrically from a headline's to a full text's, slowly at first:
# a headline with a few more words is still a headline, and dates apart from one another.
_TIME_CURVE = 3.0


def best_story(
    cfg: ClusterConfig,
    stories: Mapping[int, StoryState],
    postings: Mapping[str, set[int]],
    vector: Vector,
    names: frozenset[str],
    moments: tuple[float, ...],
    lang: str,
) -> StoryState | None:
    """The story the article joins, or None: the best margin over the bar, faded by time.

    `moments` are the article's times (published, mentioned days); `lang` its language
    ("" unknown)."""
    threshold = _threshold(cfg, len(vector))
    # How much text the article has: 0 for none, 1 for a vector of max_terms terms.
    fullness = min(1.0, len(vector) / cfg.max_terms) if cfg.max_terms else 1.0
    # Agreeing on the names is stronger evidence the more room the text had for them.
    agreement = 1.0 - (1.0 - cfg.agreement_share) * fullness
    time_scale = cfg.time_scale * cfg.full_time_ratio ** (fullness**_TIME_CURVE)
    # Another language meets a story on the names alone: a shorter vector, with the
    # lower bar of one.
    name_threshold = _threshold(cfg, sum(1 for term in vector if term in names))
    best, best_margin = None, 0.0
    lowest = threshold * agreement
    for story_id, shared in _candidates(stories, postings, vector, lowest).items():
        story = stories[story_id]
        # How far the score clears the bar: 1.0 is just enough.
        margin = shared / math.sqrt(story.norm2) / threshold
        if lang and (len(story.languages) > 1 or lang not in story.languages):
            named = story.name_similarity(vector, names) / name_threshold
            margin = max(margin, named)
        if margin < agreement or margin <= best_margin:
            continue  # time can only lower it
        gap = story.gap(moments)
        if gap is not None:
            margin *= math.exp(-gap / time_scale)
        if margin > best_margin and (
            margin >= 1.0
            or (margin >= agreement and bool(story.top_names) and story.top_names <= names)
        ):
            best, best_margin = story, margin
    return best


def _threshold(cfg: ClusterConfig, terms: int) -> float:
    fullness = min(1.0, terms / cfg.max_terms) if cfg.max_terms else 1.0
    return cfg.threshold + (cfg.threshold_full - cfg.threshold) * fullness


def _candidates(
    stories: Mapping[int, StoryState],
    postings: Mapping[str, set[int]],
    vector: Vector,
    lowest: float,
) -> dict[int, float]:
    """Stories sharing terms with the article, and the dot product with each centroid.

    Heaviest terms first. Once the terms left weigh less than the lowest bar (by
    Cauchy-Schwarz, a story they alone reach scores below |tail|), they only add to
    stories already found: the long postings of common words are never walked for
    new candidates.
    """
    overlap: dict[int, float] = {}
    tail2 = 1.0 if vector else 0.0
    for term, weight in sorted(vector.items(), key=_WEIGHT, reverse=True):
        open_to_new = tail2 >= lowest * lowest
        tail2 -= weight * weight
        for story_id in postings.get(term, ()):
            if story_id in overlap:
                overlap[story_id] += weight * stories[story_id].centroid[term]
            elif open_to_new:
                overlap[story_id] = weight * stories[story_id].centroid[term]
    return overlap
