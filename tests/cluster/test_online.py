from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

from tests.cluster.syndication import syndicate
from worldwire.cluster import ClusterConfig, Clusterer, Doc

DATA = Path(__file__).resolve().parents[1] / "data" / "cluster"
ORIGINAL = (DATA / "wire-original.txt").read_text()
OTHER_OUTLET = (DATA / "same-event-other-outlet.txt").read_text()
DAY = 86400.0
T0 = 1_700_000_000.0

FLOOD = "Floods force 3,400 from homes in Marrow valley as river breaches wall at Eastbridge"
FLOOD_2 = "Marrow river floods Eastbridge: 3,400 evacuated, army helicopters rescue families"
ELECTION = "Opposition leader Amara Osei wins presidential run-off in Ghana with 54 percent"
ELECTION_2 = "Ghana's Amara Osei declared winner of presidential run-off, takes 54 percent"


def _day(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%B %d, %Y")


def _doc(doc_id: int, title: str, text: str = "", at: float = T0) -> Doc:
    return Doc(id=doc_id, title=title, text=text, published=at)


def test_related_articles_share_a_story_and_unrelated_do_not() -> None:
    clusterer = Clusterer()
    first = clusterer.add(_doc(1, FLOOD))
    election = clusterer.add(_doc(2, ELECTION))
    assert first.new_story and election.new_story
    assert first.story_id != election.story_id
    again = clusterer.add(_doc(3, FLOOD_2))
    assert again.story_id == first.story_id and not again.new_story
    assert clusterer.add(_doc(4, ELECTION_2)).story_id == election.story_id


def test_story_ids_count_from_next_story_id() -> None:
    clusterer = Clusterer(next_story_id=500)
    assert clusterer.add(_doc(1, FLOOD)).story_id == 500
    assert clusterer.add(_doc(2, ELECTION)).story_id == 501


def test_copy_attaches_to_original_story() -> None:
    clusterer = Clusterer()
    original = clusterer.add(_doc(1, FLOOD, ORIGINAL))
    clusterer.add(_doc(2, ELECTION))
    _, text = syndicate(FLOOD, ORIGINAL, random.Random(3))
    copy = clusterer.add(_doc(3, "Local news: water everywhere", text))
    assert copy.duplicate_of == 1
    assert copy.story_id == original.story_id
    assert not copy.new_story
    other = clusterer.add(_doc(4, FLOOD_2, OTHER_OUTLET))
    assert other.duplicate_of is None


def test_one_summary_from_two_sites_is_a_copy_but_boilerplate_is_not() -> None:
    clusterer = Clusterer()
    lead = ORIGINAL.split("\n")[0]
    clusterer.add(Doc(1, FLOOD, lead, source="wire"))
    assert clusterer.add(Doc(2, FLOOD, lead, source="paper")).duplicate_of == 1
    # One site's closing line under two of its own items does not make them copies.
    signature = "Read our full coverage of the region in the Marrow Valley Courier."
    clusterer.add(Doc(3, ELECTION, f"Amara Osei leads. {signature}", source="courier"))
    other = clusterer.add(
        Doc(4, FLOOD_2, f"Army boats reach Eastbridge. {signature}", source="courier")
    )
    assert other.duplicate_of is None


def test_revise_with_full_text_finds_the_copy() -> None:
    clusterer = Clusterer()
    original = clusterer.add(_doc(1, FLOOD, ORIGINAL))
    # First seen from the feed: an unrelated-looking headline and no body.
    early = clusterer.add(_doc(2, "Weather: what you need to know today"))
    assert early.story_id != original.story_id
    _, text = syndicate(FLOOD, ORIGINAL, random.Random(7))
    revised = clusterer.revise(_doc(2, "Weather: what you need to know today", text))
    assert revised.duplicate_of == 1
    assert revised.story_id == original.story_id
    assert clusterer.live_stories == 1  # the emptied story is gone


def test_revise_keeps_story_id_of_a_lone_article() -> None:
    clusterer = Clusterer()
    first = clusterer.add(_doc(1, ELECTION))
    again = clusterer.revise(_doc(1, ELECTION, "The electoral commission announced the result."))
    assert again.story_id == first.story_id and not again.new_story


def test_cold_headline_story_is_not_joined() -> None:
    config = ClusterConfig(cold_after=2 * DAY)
    clusterer = Clusterer(config)
    first = clusterer.add(_doc(1, FLOOD, at=T0))
    later = clusterer.add(_doc(2, FLOOD_2, at=T0 + 5 * DAY))
    assert later.new_story and later.story_id != first.story_id
    # The cold story has closed: its articles are forgotten, its terms kept.
    assert clusterer.open_stories == 1 and clusterer.live_articles == 1
    assert clusterer.live_stories == 2


def test_late_full_article_reopens_a_closed_story() -> None:
    clusterer = Clusterer(ClusterConfig(cold_after=2 * DAY))
    first = clusterer.add(_doc(1, FLOOD, ORIGINAL, at=T0))
    clusterer.add(_doc(2, ELECTION, at=T0 + 9 * DAY))
    assert clusterer.open_stories == 1
    # Ten days on, a full report of the same floods, in other words: it clearly matches.
    follow_up = clusterer.add(_doc(3, FLOOD_2, OTHER_OUTLET, at=T0 + 10 * DAY))
    assert follow_up.story_id == first.story_id and not follow_up.new_story
    assert clusterer.open_stories == 2
    # A bare headline that late is too thin to bridge the gap.
    headline = clusterer.add(_doc(4, FLOOD_2, at=T0 + 30 * DAY))
    assert headline.new_story


def test_mentioned_day_bridges_a_long_gap() -> None:
    # Two years on, a report that quotes the first one and names the day of the floods.
    late = T0 + 700 * DAY
    report = ORIGINAL.split("\n")[0] + "\n" + OTHER_OUTLET
    for day, joins in ((T0, True), (None, False), (T0 - 2000 * DAY, False)):
        clusterer = Clusterer()
        first = clusterer.add(_doc(1, FLOOD, ORIGINAL, at=T0))
        text = report if day is None else f"{report} The floods of {_day(day)} were the worst."
        placed = clusterer.add(_doc(2, FLOOD_2, text, at=late))
        assert placed.duplicate_of is None
        assert (placed.story_id == first.story_id) is joins, day


def test_memory_is_bounded() -> None:
    clusterer = Clusterer(ClusterConfig(max_stories=50))
    rng = random.Random(1)
    words = [f"w{i}" for i in range(5000)]
    for i in range(1000):
        clusterer.add(_doc(i, " ".join(rng.sample(words, 8)), at=T0 + i))
    assert clusterer.live_stories <= 50
    assert clusterer.live_articles <= 1000


def test_representative_is_the_most_central_article() -> None:
    clusterer = Clusterer()
    titles = [
        "Marrow river floods Eastbridge after storms",
        "Marrow river floods Eastbridge, thousands evacuated",
        "Marrow river floods Eastbridge: army helicopters rescue families",
        "Eastbridge floods: rail line to the coast washed away by Marrow river",
    ]
    last = None
    for i, title in enumerate(titles, start=1):
        last = clusterer.add(_doc(i, title))
    assert last is not None and len({last.story_id}) == 1
    assert last.representative in {1, 2, 3}


def test_restore_rebuilds_without_deciding() -> None:
    clusterer = Clusterer()
    clusterer.restore(_doc(10, FLOOD, ORIGINAL), story_id=7, duplicate_of=None)
    clusterer.restore(_doc(11, ELECTION), story_id=9, duplicate_of=None)
    assert clusterer.next_story_id == 10
    joined = clusterer.add(_doc(12, FLOOD_2))
    assert joined.story_id == 7
    _, text = syndicate(FLOOD, ORIGINAL, random.Random(2))
    copy = clusterer.add(_doc(13, "Copy", text))
    assert copy.duplicate_of == 10 and copy.story_id == 7
    unrelated = clusterer.add(_doc(14, "Quantum chip maker unveils 1,000-qubit processor"))
    assert unrelated.story_id == 10


def test_restored_copy_keeps_its_link() -> None:
    clusterer = Clusterer()
    clusterer.restore(_doc(1, FLOOD, ORIGINAL), story_id=3, duplicate_of=None)
    clusterer.restore(_doc(2, FLOOD, ORIGINAL), story_id=3, duplicate_of=1)
    assert clusterer.live_articles == 2 and clusterer.live_stories == 1


def test_languages_meet_on_names_and_numbers() -> None:
    clusterer = Clusterer()
    english = clusterer.add(_doc(1, ELECTION))
    clusterer.add(_doc(2, FLOOD))
    french = clusterer.add(
        _doc(3, "Ghana : Amara Osei remporte le second tour de la présidentielle avec 54 %")
    )
    assert french.story_id == english.story_id


def _report(name: str) -> tuple[str, str]:
    title, _, text = (DATA / name).read_text().partition("\n")
    return title, text


def test_one_event_in_three_languages_is_one_story() -> None:
    clusterer = Clusterer()
    english = clusterer.add(Doc(1, *_report("ferry-fire-en.txt"), published=T0, lang="en"))
    clusterer.add(_doc(2, ELECTION))
    german = clusterer.add(Doc(3, *_report("ferry-fire-de.txt"), published=T0, lang="de"))
    french = clusterer.add(Doc(4, *_report("ferry-fire-fr.txt"), published=T0, lang="fr"))
    assert english.story_id == german.story_id == french.story_id
    strike = clusterer.add(Doc(5, *_report("rail-strike-de.txt"), published=T0, lang="de"))
    assert strike.new_story
