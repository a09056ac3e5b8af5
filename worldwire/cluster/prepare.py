"""The costly, pure part of placing an article, done once and anywhere: `prepare`.

Tokenising, weighing the words, finding names, places and mentioned days, and the copy
fingerprint depend on the article alone, so the pipeline runs them in its worker
processes and hands the `Prepared` result to `Clusterer.add` on the event loop, which
is then left with the cheap part that needs the shared state (document frequencies,
live stories). A `Prepared` is plain data: it pickles.
"""

from __future__ import annotations

from dataclasses import dataclass

from worldwire.cluster.config import ClusterConfig, Doc
from worldwire.cluster.dates import mentioned_days
from worldwire.cluster.fingerprint import Fingerprint, fingerprint_words
from worldwire.cluster.text import add_terms
from worldwire.cluster.vectors import PLACE
from worldwire.enrich.gazetteer import gazetteer

_DEFAULT = ClusterConfig()


@dataclass(frozen=True, slots=True)
class Prepared:
    counts: dict[str, float]  # term -> weighted count over headline, lead and body
    names: frozenset[str]  # the terms that are names, numbers or places
    days: tuple[float, ...]  # days the text mentions (UTC midnights, epoch seconds)
    fingerprint: Fingerprint | None  # None: too little text to judge copies
    settings: tuple[float, ...]  # ClusterConfig.text_settings() it was made with


def prepare(doc: Doc, config: ClusterConfig | None = None) -> Prepared:
    """Everything about one article that the clusterer needs and can know alone."""
    cfg = config or _DEFAULT
    counts: dict[str, float] = {}
    names: set[str] = set()
    stem, name_weight = cfg.stem_chars, cfg.name_weight
    add_terms(
        counts,
        names,
        doc.title,
        stem_chars=stem,
        name_weight=name_weight,
        weight=cfg.title_weight,
        headline=True,
    )
    text = doc.text
    lead_end = text.find(" ", cfg.lead_chars)
    if lead_end < 0:
        lead_end = len(text)
    body: list[str] = []
    for start, end, weight in ((0, lead_end, 1.0 + cfg.lead_weight), (lead_end, None, 1.0)):
        add_terms(
            counts,
            names,
            text,
            stem_chars=stem,
            name_weight=name_weight,
            weight=weight,
            start=start,
            end=end,
            words=body,
        )
    if cfg.place_weight:
        _add_places(counts, names, doc, text[: cfg.lead_chars // 2], cfg)
    return Prepared(
        counts,
        frozenset(names),
        mentioned_days(f"{doc.title}\n{text}", doc.published),
        fingerprint_words(body),
        cfg.text_settings(),
    )


def _add_places(
    counts: dict[str, float], names: set[str], doc: Doc, lead: str, cfg: ClusterConfig
) -> None:
    """Countries named in the headline or first lines, as language-free terms ("@FR" for
    France, français, Paris or Parigi), so that one event told in two languages meets
    on its places; and the countries the pipeline tagged the article with."""
    codes = {code.upper() for code in doc.countries}
    for mention in gazetteer().find(f"{doc.title}\n{lead}", doc.lang):
        # An ambiguous name ("Georgia") says nothing for sure; "" marks a phrase that
        # holds a name but names no country. (The check on the type guards against a
        # code the gazetteer's YAML read as a boolean, like Norway's "NO".)
        found = {code for code in mention.codes if isinstance(code, str)}
        if len(found) == 1 and "" not in found:
            codes |= found
    weight = cfg.place_weight
    for code in sorted(codes):  # in one order, so that equal weights tie the same way
        term = PLACE + code
        counts[term] = counts.get(term, 0.0) + weight
        names.add(term)
