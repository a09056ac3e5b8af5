from __future__ import annotations

from lxml.html import HtmlElement

from worldwire.extract.anchored import find_headline, read_from_headline
from worldwire.extract.cleanup import clean_paragraphs
from worldwire.extract.document import parse_html
from worldwire.extract.metadata import Metadata

TITLE = "Ferry service to the islands resumes after the storm"
META = Metadata(title=TITLE, author="Ana Lima")
LEAD = (
    "The ferry between the harbour and the three islands sailed again on Monday morning, "
    "four days after the storm tore the pontoon from its moorings."
)
MORE = (
    "Engineers worked through the weekend to secure a temporary landing stage, and the "
    "operator said the full timetable would return by Friday."
)


def _root(html: str) -> HtmlElement:
    root = parse_html(html)
    assert root is not None
    return root


def _clean(paragraphs: list[str]) -> list[str]:
    return clean_paragraphs(paragraphs, META)


def test_the_headline_is_the_printed_title_not_a_link_to_it() -> None:
    root = _root(
        f"<body><ul><li><a href='/x'><b>{TITLE}</b></a></li></ul>"
        f"<table><tr><td><font size='5'>{TITLE}</font></td></tr></table></body>"
    )
    headline = find_headline(root, TITLE)
    assert headline is not None and headline.tag == "font"
    assert find_headline(root, "Another story altogether on this page") is None


def test_text_after_the_headline_in_its_article_and_nothing_around_it() -> None:
    root = _root(
        "<body><div>Kicker</div><div class='a'><h1>" + TITLE + "</h1>"
        "<p>By Ana Lima</p><div class='body'><p>" + LEAD + "</p><p>" + MORE + "</p>"
        "<div><div><h3>Support our newsroom</h3><p>Give what you can.</p></div></div></div>"
        "</div><div class='foot'><p>About this site: a long blurb that says who we are and "
        "what we do, and where to write to us, long enough to count as prose.</p></div></body>"
    )
    headline = find_headline(root, TITLE)
    assert headline is not None
    read = read_from_headline(root, headline, _clean)
    assert read.paragraphs == ["By Ana Lima", LEAD, MORE]
    assert not read.brief and 0.5 < read.share < 1


def test_a_brief_reads_the_first_prose_after_the_headline() -> None:
    """A brief is shorter than the blurb in the footer: the first prose after the
    headline is the article, and a text that is the headline again still counts."""
    root = _root(
        "<body><table><tr><td>Site name<br>City edition</td></tr><tr><td><b>" + TITLE + "</b>"
        "<br>Posted March 3, 2024 by Ana Lima<br><br>" + TITLE + ".<br><br>"
        "<a href='/print'>Printer-friendly version</a></td></tr>"
        "<tr><td>The Harbour Times is the newspaper of the coast since 1921, owned by its "
        "readers and edited in the old port. Write to the editor.</td></tr></table></body>"
    )
    headline = find_headline(root, TITLE)
    assert headline is not None
    read = read_from_headline(root, headline, _clean)
    assert read.brief
    assert _clean(read.paragraphs) == [TITLE + "."]


def test_nothing_but_furniture_after_the_headline_reads_nothing() -> None:
    root = _root("<body><h1>" + TITLE + "</h1><p>Share this</p><p>12 comments</p></body>")
    headline = find_headline(root, TITLE)
    assert headline is not None
    read = read_from_headline(root, headline, _clean)
    assert read.paragraphs == [] and read.share == 0.0
