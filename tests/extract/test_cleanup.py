from __future__ import annotations

import pytest

from worldwire.extract.cleanup import clean_paragraphs, link_texts
from worldwire.extract.document import parse_html
from worldwire.extract.metadata import Metadata

META = Metadata(title="Storm closes the mountain pass", author="Anna Berger")
PROSE = (
    "The storm brought down trees along the pass road overnight, and the road will stay "
    "closed until at least Wednesday, the authorities said."
)


@pytest.mark.parametrize(
    "furniture",
    [
        "- Advertisement -",
        "ANZEIGE",
        "Read more: Floods in the valley",
        "Related: Five passes to drive this summer",
        "Sign up for our free daily newsletter",
        "Subscribe to The Post for unlimited access.",
        "Follow Anna Berger on Twitter @aberger",
        "Leave a Reply",
        "12 Comments",
        "This website uses cookies to improve your experience. We'll assume you're ok with "
        "this, but you can opt-out if you wish. Accept Read More",
        "© 2024 Alpine Herald. All rights reserved.",
        "Photo: Reuters",
        "By Anna Berger",
        "Updated 14 March 2024",
        "March 14, 2024",
        "Tags:",
        "Facebook",
        "Like it? Share it!",
        "Like this:",
        "By",
        "By Anna Berger · March 14, 2024 10:00",
        "Recent Comments",
        "Contact us: editor@alpineherald.example",
    ],
)
def test_furniture_lines_go(furniture: str) -> None:
    assert clean_paragraphs([PROSE, furniture, PROSE + " Again."], META) == [
        PROSE,
        PROSE + " Again.",
    ]


def test_headline_repeated_on_top_goes_but_not_later() -> None:
    later = [PROSE + " Two.", PROSE + " Three.", META.title]
    kept = clean_paragraphs(["NEWS", META.title, PROSE, *later], META)
    assert kept == ["NEWS", PROSE, *later]


def test_only_immediate_repeats_go() -> None:
    line = "Eat 60–90 minutes before your workout"
    assert clean_paragraphs([line, line, PROSE, line], META) == [line, PROSE, line]


def test_long_paragraphs_that_mention_furniture_words_stay() -> None:
    prose = (
        "Readers who subscribe to the council newsletter were told about the closure a day "
        "early, which the opposition called unfair to everyone who relies on the road to "
        "reach the hospital in the valley, and the mayor promised to publish such notices "
        "on the town's website at the same time in future."
    )
    assert clean_paragraphs([prose], META) == [prose]


def test_runs_of_single_words_are_menus() -> None:
    menu = ["Home", "News", "Sport", "Culture", "Travel", "Weather", "Opinion", "Video"]
    assert clean_paragraphs([PROSE, *menu], META) == [PROSE]
    short_list = ["Flour", "Sugar", "Eggs"]
    assert clean_paragraphs([PROSE, *short_list], META) == [PROSE, *short_list]


def test_a_paragraph_that_is_one_link_is_a_teaser() -> None:
    root = parse_html(
        '<p><a href="/a">Five passes to drive this summer in the Alps</a></p>'
        '<p><a href="http://amzn.to/x">http://amzn.to/x and more words</a></p>'
    )
    assert root is not None
    links = link_texts(root)
    paragraphs = [
        PROSE,
        "Five passes to drive this summer in the Alps",
        "http://amzn.to/x and more words",
    ]
    assert clean_paragraphs(paragraphs, META, links) == [PROSE, "http://amzn.to/x and more words"]


def test_the_headline_goes_after_a_label_but_not_after_a_sentence() -> None:
    intro = "Our newsroom in the valley is following the reaction; the agency reports:"
    assert clean_paragraphs(["WORLD", META.title, PROSE], META) == ["WORLD", PROSE]
    assert clean_paragraphs([intro, META.title + "."], META) == [intro, META.title + "."]


def test_a_brief_whose_text_is_its_headline_keeps_it() -> None:
    assert clean_paragraphs(["NEWS", META.title + "."], META) == [META.title + "."]
    assert clean_paragraphs([META.title], META) == [META.title]


def test_counters_go_above_the_text_and_figures_stay_in_it() -> None:
    kept = clean_paragraphs(["1,204", "-", PROSE, "57", "77%"], META)
    assert kept == [PROSE, "57", "77%"]


def test_a_date_that_is_the_headline_is_the_text() -> None:
    meta = Metadata(title="UPDATE: March 11, 2014, 8:57 pm")
    intro = "This report by the agency is republished under a syndication agreement."
    kept = clean_paragraphs([intro, "March 11, 2014, 8:57 pm."], meta)
    assert kept == [intro, "March 11, 2014, 8:57 pm."]
