from __future__ import annotations

import pickle
from pathlib import Path

from worldwire.cluster import ClusterConfig, Clusterer, Doc, Prepared, prepare

DATA = Path(__file__).resolve().parents[1] / "data" / "cluster"
ORIGINAL = (DATA / "wire-original.txt").read_text()
OTHER_OUTLET = (DATA / "same-event-other-outlet.txt").read_text()
T0 = 1_700_000_000.0


def _docs() -> list[Doc]:
    return [
        Doc(1, "Floods force 3,400 from homes in the Marrow valley", ORIGINAL, published=T0),
        Doc(2, "Opposition leader Amara Osei wins run-off in Ghana", "", published=T0),
        Doc(3, "Marrow river floods Eastbridge", OTHER_OUTLET, published=T0 + 3600),
    ]


def test_prepared_pickles_as_plain_data() -> None:
    ready = prepare(_docs()[0])
    again = pickle.loads(pickle.dumps(ready))
    assert again == ready
    assert again.fingerprint is not None and again.counts and "3400" in again.names


def test_add_with_prepared_decides_as_add_alone() -> None:
    alone, given = Clusterer(), Clusterer()
    for doc in _docs():
        assert given.add(doc, prepare(doc)) == alone.add(doc)


def test_prepared_with_other_settings_is_made_again() -> None:
    config = ClusterConfig(stem_chars=0)
    doc = _docs()[0]
    stale = prepare(doc)  # default settings: words cut to five letters
    clusterer = Clusterer(config)
    clusterer.add(doc, stale)
    assert "evacuation" in clusterer._df.counts and "evacu" not in clusterer._df.counts
    assert isinstance(clusterer.prepare(doc), Prepared)


def test_revised_article_is_counted_once_in_document_frequencies() -> None:
    once, revised = Clusterer(), Clusterer()
    doc = _docs()[0]
    once.add(doc)
    revised.add(Doc(1, doc.title, ORIGINAL.split("\n")[0], published=T0))
    revised.revise(doc)
    assert revised._df.total == once._df.total == 1
    assert revised._df.counts == once._df.counts
