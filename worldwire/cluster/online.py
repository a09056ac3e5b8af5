"""Online story clustering: each article joins the best story or starts a new one.

In the spirit of Miranda et al. 2018 ("Multilingual Clustering of Streaming News"): an
article is scored against each story's TF-IDF centroid (title, lead, body, names,
numbers and places), the score fades with the time between the article and the story,
and the best story wins if it clears a threshold that rises with the length of the
text (or a lower one, if the article names the story's key names). Before that, an
article whose body is a copy of one we hold (syndication) simply joins the original's
story.

Everything is in memory and bounded. A story that has had no article for `cold_after`
seconds of stream time closes: it forgets its articles and keeps its heaviest terms, so
that a late article that clearly matches can still reopen it. Closed stories are
forgotten, least recently updated first, past `max_stories`. The caller (the pipeline)
stores the decisions, and can rebuild this state after a restart with `restore`.

The costly part of placing an article, `prepare`, is pure and may run elsewhere (in a
worker process); `add`, `revise` and `restore` take its result, or compute it.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from worldwire.cluster.config import ClusterConfig, Doc
from worldwire.cluster.dedup import DedupIndex
from worldwire.cluster.match import best_story
from worldwire.cluster.prepare import Prepared, prepare
from worldwire.cluster.story import Member, StoryState
from worldwire.cluster.vectors import DocumentFrequencies, Vector, dot, weigh

__all__ = ["Assignment", "ClusterConfig", "Clusterer", "Doc"]


@dataclass(slots=True)
class Assignment:
    story_id: int
    duplicate_of: int | None
    new_story: bool
    representative: int  # doc id that should give the story its headline/lead now


class Clusterer:
    def __init__(self, config: ClusterConfig | None = None, next_story_id: int = 1) -> None:
        self.config = config or ClusterConfig()
        self.next_story_id = next_story_id
        self._settings = self.config.text_settings()
        self._df = DocumentFrequencies()
        self._dedup = DedupIndex(self.config.copy_resemblance, self.config.copy_containment)
        self._stories: dict[int, StoryState] = {}
        # Least recently updated first, so that closing and forgetting look at the front.
        # Stories with no known time never close by time: they wait apart.
        self._open: OrderedDict[int, StoryState] = OrderedDict()
        self._timeless: OrderedDict[int, StoryState] = OrderedDict()
        self._closed: OrderedDict[int, StoryState] = OrderedDict()
        self._members: dict[int, Member] = {}
        self._postings: defaultdict[str, set[int]] = defaultdict(set)
        self._clock = 0.0  # the latest publication time seen: stream time

    @property
    def live_stories(self) -> int:
        """Stories held, open or closed."""
        return len(self._stories)

    @property
    def open_stories(self) -> int:
        return len(self._open) + len(self._timeless)

    @property
    def live_articles(self) -> int:
        return len(self._members)

    def prepare(self, doc: Doc) -> Prepared:
        """`prepare(doc)` with this clusterer's settings."""
        return prepare(doc, self.config)

    def add(self, doc: Doc, prepared: Prepared | None = None) -> Assignment:
        """Place a new article: a copy of a held one, a member of a story, or new."""
        if doc.id in self._members:
            return self.revise(doc, prepared)
        return self._place(doc, self._prepared(doc, prepared), vacated=None)

    def revise(self, doc: Doc, prepared: Prepared | None = None) -> Assignment:
        """Place an article again, now with more text: it may turn out a copy, or move.

        If it leaves a story that is then empty and it starts a new one, it keeps its old
        story id, so that a story does not change id just because its text grew. An
        article whose story has closed since is placed afresh.
        """
        ready = self._prepared(doc, prepared)
        old = self._members.get(doc.id)
        if old is None:
            return self._place(doc, ready, vacated=None)
        story = self._stories[old.story_id]
        self._detach(old, story)
        return self._place(doc, ready, vacated=story if story.is_empty() else None)

    def restore(
        self,
        doc: Doc,
        story_id: int,
        duplicate_of: int | None,
        prepared: Prepared | None = None,
    ) -> None:
        """Rebuild state from a stored decision after a restart, without deciding again."""
        ready = self._prepared(doc, prepared)
        old = self._members.get(doc.id)
        if old is not None:
            self._detach(old, self._stories[old.story_id])
        self.next_story_id = max(self.next_story_id, story_id + 1)
        story = self._stories.get(story_id)
        if story is None:
            story = self._new_story(story_id, doc.id)
        self._clock = max(self._clock, doc.published)
        if duplicate_of is not None:
            self._add_copy(story, self._member(doc, ready, story_id, {}, duplicate_of))
        else:
            vector = self._vector(ready)
            self._join(story, self._member(doc, ready, story_id, vector, None))
        self._expire()

    # --- placing ---

    def _prepared(self, doc: Doc, prepared: Prepared | None) -> Prepared:
        if prepared is None or prepared.settings != self._settings:
            return prepare(doc, self.config)
        return prepared

    def _place(self, doc: Doc, ready: Prepared, vacated: StoryState | None) -> Assignment:
        self._clock = max(self._clock, doc.published)
        fp = ready.fingerprint
        original = self._dedup.find(fp, doc.source) if fp is not None else None
        if original is not None:
            story = self._stories[self._members[original].story_id]
            self._add_copy(story, self._member(doc, ready, story.id, {}, original))
            self._forget_if_empty(vacated)
            return Assignment(story.id, original, False, story.representative)
        vector = self._vector(ready)
        moments = (doc.published, *ready.days)
        best = best_story(
            self.config,
            self._stories,
            self._postings,
            vector,
            ready.names,
            moments,
            _language(doc.lang),
        )
        new_story = best is None and vacated is None
        if best is not None:
            story = best
            self._forget_if_empty(vacated)
        elif vacated is not None:
            story = vacated
        else:
            story = self._new_story(self.next_story_id, doc.id)
            self.next_story_id += 1
        self._join(story, self._member(doc, ready, story.id, vector, None))
        self._expire()
        return Assignment(story.id, None, new_story, story.representative)

    def _member(
        self,
        doc: Doc,
        ready: Prepared,
        story_id: int,
        vector: Vector,
        duplicate_of: int | None,
    ) -> Member:
        counted = tuple(ready.counts) if duplicate_of is None else ()
        return Member(
            doc.id,
            story_id,
            vector,
            doc.published,
            duplicate_of,
            ready.fingerprint,
            doc.source,
            ready.names,
            counted,
            _language(doc.lang),
        )

    def _vector(self, ready: Prepared) -> Vector:
        # Counted here and uncounted when the article is revised or forgotten, so that
        # document frequencies count each article held once.
        self._df.add(ready.counts)
        return weigh(ready.counts, self._df, self.config.max_terms)

    # --- story state ---

    def _new_story(self, story_id: int, representative: int) -> StoryState:
        story = StoryState(story_id, representative=representative)
        self._stories[story_id] = story
        self._timeless[story_id] = story
        return story

    def _queue_of(self, story: StoryState) -> OrderedDict[int, StoryState]:
        if story.closed:
            return self._closed
        return self._open if story.id in self._open else self._timeless

    def _touch(self, story: StoryState) -> None:
        """Move a story that has just changed to the back of its queue, reopened and
        with a known time if it has one now."""
        self._queue_of(story).pop(story.id)
        story.closed = False
        (self._open if story.last else self._timeless)[story.id] = story

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
        story.add_names(member, 1.0, self.config.agreement_names)
        story.originals.append(member.doc_id)
        story.widen(member.published)
        self._members[member.doc_id] = member
        if member.fingerprint is not None:
            self._dedup.add(member.doc_id, member.fingerprint, member.source)
        self._update_representative(story, member)
        self._touch(story)

    def _add_copy(self, story: StoryState, member: Member) -> None:
        story.copies.append(member.doc_id)
        story.widen(member.published)
        self._members[member.doc_id] = member
        if not story.originals and story.representative not in self._members:
            story.representative = member.doc_id
        self._touch(story)

    def _detach(self, member: Member, story: StoryState) -> None:
        del self._members[member.doc_id]
        if member.duplicate_of is not None:
            story.copies.remove(member.doc_id)
        else:
            story.originals.remove(member.doc_id)
            self._dedup.remove(member.doc_id)
            self._df.remove(member.counted)  # a copy counted nothing
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
            story.add_names(member, -1.0, self.config.agreement_names)
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

    # --- closing and forgetting ---

    def _expire(self) -> None:
        cfg, opened = self.config, self._open
        while opened:
            story = next(iter(opened.values()))
            if self._clock - story.last <= cfg.cold_after:
                break
            self._close(story)
        while len(self._stories) > cfg.max_stories:
            oldest = self._closed or self._timeless or self._open
            self._forget(next(iter(oldest.values())))

    def _close(self, story: StoryState) -> None:
        for doc_id in story.originals + story.copies:
            self._uncount(self._members.pop(doc_id))
        for term in story.close(self.config.closed_terms):
            self._unpost(term, story.id)
        del self._open[story.id]
        self._closed[story.id] = story

    def _uncount(self, member: Member) -> None:
        self._dedup.remove(member.doc_id)
        if member.duplicate_of is None:
            self._df.remove(member.counted)

    def _forget_if_empty(self, story: StoryState | None) -> None:
        if story is not None and story.is_empty():
            self._forget(story)

    def _forget(self, story: StoryState) -> None:
        for doc_id in story.originals + story.copies:
            self._uncount(self._members.pop(doc_id))
        for term in story.centroid:
            self._unpost(term, story.id)
        del self._stories[story.id]
        self._queue_of(story).pop(story.id)

    def _unpost(self, term: str, story_id: int) -> None:
        holders = self._postings[term]
        holders.discard(story_id)
        if not holders:
            del self._postings[term]


def _language(code: str) -> str:
    """The primary language subtag ("pt-BR" -> "pt"), or "" when unknown."""
    primary = code.split("-")[0].lower()
    return "" if primary in ("", "und", "mul", "zxx") else primary
