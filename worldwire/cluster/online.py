"""Online story clustering: each article joins the best live story or starts a new one.

In the spirit of Miranda et al. 2018 ("Multilingual Clustering of Streaming News"): an
article is scored against each live story's TF-IDF centroid (title, lead, body, names,
numbers and countries), the score fades with the time between the article and the
story, and the best story wins if it clears a threshold that rises with the length of
the text. Before that, an article whose body is a
copy of one we hold (syndication) simply joins the original's story.

Everything is in memory and bounded: a story that has had no article for `cold_after`
seconds of stream time, or the least recently updated one past `max_stories`, is
forgotten with its articles. The caller (the pipeline) stores the decisions, and can
rebuild this state after a restart with `restore`.
"""

from __future__ import annotations

import math
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from worldwire.cluster.dedup import DedupIndex
from worldwire.cluster.fingerprint import fingerprint
from worldwire.cluster.story import Member, StoryState
from worldwire.cluster.text import terms
from worldwire.cluster.vectors import DocumentFrequencies, Vector, dot, weigh

_DAY = 86400.0


@dataclass(slots=True)
class Doc:
    id: int
    title: str
    text: str
    url: str = ""
    source: str = ""
    published: float = 0.0  # UTC epoch seconds; 0.0: unknown
    lang: str = ""
    countries: tuple[str, ...] = ()


@dataclass(slots=True)
class Assignment:
    story_id: int
    duplicate_of: int | None
    new_story: bool
    representative: int  # doc id that should give the story its headline/lead now


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    # Lowest time-faded centroid cosine at which an article joins a story: `threshold`
    # for a bare headline, rising linearly to `threshold_full` for an article with
    # `max_terms` terms or more. Long texts share more incidental words, so the same
    # cosine is weaker evidence for them.
    threshold: float = 0.1
    threshold_full: float = 0.3
    title_weight: float = 2.0  # a headline word counts as this many body words
    # The lead (first `lead_chars` of the body) says who, what, where: its words count
    # this much extra.
    lead_weight: float = 2.0
    lead_chars: int = 400
    name_weight: float = 2.0  # names and numbers count this many times a plain word
    country_weight: float = 1.0  # each tagged country, as a term of the article
    stem_chars: int = 5  # words are cut to this prefix (0: whole words)
    max_terms: int = 40  # heaviest terms kept per article vector
    # Similarity × exp(-gap / scale), where the scale grows from `time_scale` for a
    # headline to `time_scale * full_time_ratio` for a full article: a whole text names
    # its event by itself, a headline needs the time to tell today's story from last
    # week's look-alike.
    time_scale: float = _DAY
    full_time_ratio: float = 30.0
    cold_after: float = 3 * _DAY  # a story quiet this long (stream time) is closed
    max_stories: int = 50_000  # live stories kept at most (memory bound)
    copy_resemblance: float = 0.5  # shingle Jaccard at which a body is a copy
    copy_containment: float = 0.8  # share of a trimmed copy found in the original


class Clusterer:
    def __init__(self, config: ClusterConfig | None = None, next_story_id: int = 1) -> None:
        self.config = config or ClusterConfig()
        self.next_story_id = next_story_id
        self._df = DocumentFrequencies()
        self._dedup = DedupIndex(self.config.copy_resemblance, self.config.copy_containment)
        # Least recently updated first, so that eviction looks only at the front.
        self._stories: OrderedDict[int, StoryState] = OrderedDict()
        self._members: dict[int, Member] = {}
        self._postings: defaultdict[str, set[int]] = defaultdict(set)
        self._clock = 0.0  # the latest publication time seen: stream time

    @property
    def live_stories(self) -> int:
        return len(self._stories)

    @property
    def live_articles(self) -> int:
        return len(self._members)

    def add(self, doc: Doc) -> Assignment:
        """Place a new article: a copy of a held one, a member of a live story, or new."""
        if doc.id in self._members:
            return self.revise(doc)
        return self._place(doc, vacated=None)

    def revise(self, doc: Doc) -> Assignment:
        """Place an article again, now with more text: it may turn out a copy, or move.

        If it leaves a story that is then empty and it starts a new one, it keeps its old
        story id, so that a story does not change id just because its text grew.
        """
        old = self._members.get(doc.id)
        if old is None:
            return self._place(doc, vacated=None)
        story = self._stories[old.story_id]
        self._detach(old, story)
        return self._place(doc, vacated=story if story.is_empty() else None)

    def restore(self, doc: Doc, story_id: int, duplicate_of: int | None) -> None:
        """Rebuild state from a stored decision after a restart, without deciding again."""
        old = self._members.get(doc.id)
        if old is not None:
            self._detach(old, self._stories[old.story_id])
        self.next_story_id = max(self.next_story_id, story_id + 1)
        story = self._stories.get(story_id)
        if story is None:
            story = self._stories[story_id] = StoryState(story_id, representative=doc.id)
        self._clock = max(self._clock, doc.published)
        fp = fingerprint(doc.text)
        if duplicate_of is not None:
            self._add_copy(story, Member(doc.id, story_id, {}, doc.published, duplicate_of, fp))
        else:
            vector = self._vector(doc)
            self._join(story, Member(doc.id, story_id, vector, doc.published, None, fp))
        self._evict()

    def _place(self, doc: Doc, vacated: StoryState | None) -> Assignment:
        self._clock = max(self._clock, doc.published)
        fp = fingerprint(doc.text)
        original = self._dedup.find(fp) if fp is not None else None
        if original is not None:
            story = self._stories[self._members[original].story_id]
            self._add_copy(story, Member(doc.id, story.id, {}, doc.published, original, fp))
            self._forget_if_empty(vacated)
            return Assignment(story.id, original, False, story.representative)
        vector = self._vector(doc)
        best = self._best_story(vector, doc.published)
        new_story = best is None and vacated is None
        if best is not None:
            story = best
            self._forget_if_empty(vacated)
        elif vacated is not None:
            story = vacated
        else:
            story = StoryState(self.next_story_id, representative=doc.id)
            self._stories[story.id] = story
            self.next_story_id += 1
        self._join(story, Member(doc.id, story.id, vector, doc.published, None, fp))
        self._evict()
        return Assignment(story.id, None, new_story, story.representative)

    def _vector(self, doc: Doc) -> Vector:
        cfg = self.config
        counts = terms(doc.title, cfg.stem_chars, cfg.name_weight, cfg.title_weight)
        body = terms(
            doc.text, cfg.stem_chars, cfg.name_weight, 1.0, cfg.lead_chars, cfg.lead_weight
        )
        for term, count in body.items():
            counts[term] += count
        for country in doc.countries:
            counts["@" + country.upper()] += cfg.country_weight
        # A revised article is counted again: a version more, which barely moves IDF.
        self._df.add(counts)
        return weigh(counts, self._df, cfg.max_terms)

    def _best_story(self, vector: Vector, published: float) -> StoryState | None:
        cfg = self.config
        # How much text the article has: 0 for none, 1 for a vector of max_terms terms.
        fullness = min(1.0, len(vector) / cfg.max_terms) if cfg.max_terms else 1.0
        threshold = cfg.threshold + (cfg.threshold_full - cfg.threshold) * fullness
        time_scale = cfg.time_scale * cfg.full_time_ratio ** (fullness * fullness)
        stories, postings = self._stories, self._postings
        overlap: dict[int, float] = {}
        # Heaviest terms first. Once the terms left weigh less than the threshold (by
        # Cauchy-Schwarz, a story they alone reach scores below |tail|), they only add
        # to stories already found: the long postings of common words are never walked
        # for new candidates.
        ranked = sorted(vector.items(), key=lambda kv: kv[1], reverse=True)
        tail2 = 1.0 if vector else 0.0
        for term, weight in ranked:
            open_to_new = tail2 >= threshold * threshold
            tail2 -= weight * weight
            for story_id in postings.get(term, ()):
                if story_id in overlap:
                    overlap[story_id] += weight * stories[story_id].centroid[term]
                elif open_to_new:
                    overlap[story_id] = weight * stories[story_id].centroid[term]
        best, best_score = None, threshold
        for story_id, shared in overlap.items():
            story = stories[story_id]
            score = shared / math.sqrt(story.norm2)
            if score < best_score:
                continue  # time can only lower it
            gap = story.gap(published)
            if gap is not None:
                if gap > cfg.cold_after:
                    continue
                score *= math.exp(-gap / time_scale)
            if score >= best_score:
                best, best_score = story, score
        return best

    def _join(self, story: StoryState, member: Member) -> None:
        vector, centroid = member.vector, story.centroid
        shared = dot(vector, centroid)
        for term, weight in vector.items():
            if term in centroid:
                centroid[term] += weight
            else:
                centroid[term] = weight
                self._postings[term].add(story.id)
        # |c + v|² = |c|² + 2 c·v + |v|², with |v| = 1 for any non-empty vector.
        story.norm2 += 2.0 * shared + (1.0 if vector else 0.0)
        story.originals.append(member.doc_id)
        story.widen(member.published)
        self._members[member.doc_id] = member
        if member.fingerprint is not None:
            self._dedup.add(member.doc_id, member.fingerprint)
        self._update_representative(story, member)
        self._stories.move_to_end(story.id)

    def _add_copy(self, story: StoryState, member: Member) -> None:
        story.copies.append(member.doc_id)
        story.widen(member.published)
        self._members[member.doc_id] = member
        if not story.originals and story.representative not in self._members:
            story.representative = member.doc_id
        self._stories.move_to_end(story.id)

    def _detach(self, member: Member, story: StoryState) -> None:
        del self._members[member.doc_id]
        if member.duplicate_of is not None:
            story.copies.remove(member.doc_id)
        else:
            story.originals.remove(member.doc_id)
            self._dedup.remove(member.doc_id)
            vector, centroid = member.vector, story.centroid
            shared = dot(vector, centroid)
            for term, weight in vector.items():
                left = centroid[term] - weight
                if left > 1e-9:
                    centroid[term] = left
                else:
                    del centroid[term]
                    self._unpost(term, story.id)
            story.norm2 = max(0.0, story.norm2 - 2.0 * shared + (1.0 if vector else 0.0))
            if not story.originals:
                story.norm2 = 0.0
        if story.representative == member.doc_id:
            self._pick_representative(story)

    def _update_representative(self, story: StoryState, member: Member) -> None:
        n = len(story.originals)
        if n & (n - 1) == 0:
            # The centroid drifts as a story grows; a full re-pick at each doubling keeps
            # the medoid honest at an amortised constant cost per article.
            self._pick_representative(story)
            return
        current = self._members.get(story.representative)
        if (
            current is None
            or current.duplicate_of is not None
            or story.similarity(member.vector) > story.similarity(current.vector)
        ):
            story.representative = member.doc_id

    def _pick_representative(self, story: StoryState) -> None:
        if story.originals:
            story.representative = max(
                story.originals, key=lambda i: story.similarity(self._members[i].vector)
            )
        elif story.copies:
            story.representative = story.copies[0]

    def _evict(self) -> None:
        cfg = self.config
        while self._stories:
            story = next(iter(self._stories.values()))
            cold = bool(story.last) and self._clock - story.last > cfg.cold_after
            if not cold and len(self._stories) <= cfg.max_stories:
                return
            self._forget(story)

    def _forget_if_empty(self, story: StoryState | None) -> None:
        if story is not None and story.is_empty():
            self._forget(story)

    def _forget(self, story: StoryState) -> None:
        for doc_id in story.originals + story.copies:
            del self._members[doc_id]
            self._dedup.remove(doc_id)
        for term in story.centroid:
            self._unpost(term, story.id)
        del self._stories[story.id]

    def _unpost(self, term: str, story_id: int) -> None:
        holders = self._postings[term]
        holders.discard(story_id)
        if not holders:
            del self._postings[term]

