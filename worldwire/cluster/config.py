"""What the clusterer is given (`Doc`) and how it weighs the evidence (`ClusterConfig`)."""

from __future__ import annotations

from dataclasses import dataclass

DAY = 86400.0


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


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    # Lowest time-faded centroid cosine at which an article joins a story: `threshold`
    # for a bare headline, rising linearly to `threshold_full` for an article with
    # `max_terms` terms or more. Long texts share more incidental words, so the same
    # cosine is weaker evidence for them.
    threshold: float = 0.1
    threshold_full: float = 0.3
    # An article that names all of a story's `agreement_names` heaviest names (people,
    # places, numbers) joins it at this share of the threshold: the same who, where and
    # how many, told in other words.
    agreement_names: int = 3
    agreement_share: float = 0.5
    title_weight: float = 2.0  # a headline word counts as this many body words
    # The lead (first `lead_chars` of the body) says who, what, where: its words count
    # this much extra.
    lead_weight: float = 2.0
    lead_chars: int = 400
    name_weight: float = 2.0  # names and numbers count this many times a plain word
    place_weight: float = 1.0  # a country named in the headline or lead, in any language
    stem_chars: int = 5  # words are cut to this prefix (0: whole words)
    max_terms: int = 40  # heaviest terms kept per article vector
    # Similarity × exp(-gap / scale), where the scale grows from `time_scale` (a day) for
    # a headline to `time_scale * full_time_ratio` (a year) for a full article: a whole
    # text names its event by itself, a headline needs the time to tell today's story
    # from last week's look-alike. The gap is measured from the publication date and from the
    # days the text mentions, whichever is nearer the story.
    time_scale: float = DAY
    full_time_ratio: float = 365.0
    # A story without a new article for this long (stream time) closes: it keeps only
    # its heaviest terms, and a late article must match it clearly (the time fade) to
    # reopen it. Closed stories are forgotten, least recently updated first, past
    # `max_stories`.
    cold_after: float = 3 * DAY
    max_stories: int = 20_000
    closed_terms: int = 80  # centroid terms a closed story keeps
    copy_resemblance: float = 0.5  # shingle Jaccard at which a body is a copy
    copy_containment: float = 0.8  # share of a trimmed copy found in the original

    def text_settings(self) -> tuple[float, ...]:
        """What `prepare` depends on: a Prepared made with other values is made again."""
        return (
            self.title_weight,
            self.lead_weight,
            self.lead_chars,
            self.name_weight,
            self.place_weight,
            self.stem_chars,
        )
