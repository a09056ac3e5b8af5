from __future__ import annotations

from worldwire.extract.blocks import container_paragraphs, segments
from worldwire.extract.document import parse_html


def paragraphs(html: str) -> list[str]:
    root = parse_html(html)
    assert root is not None
    body = root.find("body")
    assert body is not None
    return container_paragraphs(body)


def test_blocks_inline_text_and_line_breaks() -> None:
    assert paragraphs(
        "<h2>Heading</h2><p>One <b>bold</b> and <a href='/x'>a link</a> in prose.</p>"
        "<div>Loose text<br><br>after a double break<br>and a line</div>"
    ) == [
        "Heading",
        "One bold and a link in prose.",
        "Loose text",
        "after a double break\nand a line",
    ]


def test_captions_hidden_ruby_and_link_lists_stay_out() -> None:
    assert paragraphs(
        "<p>Kept prose that carries the story forward.</p>"
        "<figure><img src='a.jpg'><figcaption>Caption</figcaption></figure>"
        "<p class='wp-caption-text'>Another caption</p>"
        "<p style='display:none'>Hidden</p><p aria-hidden='true'>Also hidden</p>"
        "<p>漢<rt>かん</rt>字</p>"
        "<ul><li><a href='/1'>Related story one</a></li></ul>"
    ) == ["Kept prose that carries the story forward.", "漢字"]


def test_table_rows_are_lines_and_invisible_characters_go() -> None:
    assert paragraphs(
        "<table><tr><td>1</td><td>Kyle Busch</td><td>5040</td></tr></table>"
        "<p>Mit\u00adtel\u00adal\u00adter</p>"
    ) == ["1 Kyle Busch 5040", "Mittelalter"]


def test_link_share_is_judged_per_paragraph_of_a_block() -> None:
    """One <div> holding many <br><br> paragraphs: a link in one of them does not make
    its neighbours a link list, and a link printed as its address is text."""
    assert paragraphs(
        "<div>First paragraph of the story, with no link at all in it.<br><br>"
        "<a href='/a'>Read more about the story on another page</a><br><br>"
        "Second paragraph of the story, <a href='/b'>with a link</a> inside it.<br><br>"
        "<a href='http://amzn.to/x'>http://amzn.to/x</a></div>"
    ) == [
        "First paragraph of the story, with no link at all in it.",
        "Second paragraph of the story, with a link inside it.",
        "http://amzn.to/x",
    ]


def test_a_wrapper_named_like_a_caption_is_walked() -> None:
    text = "A post long enough to be no caption. " * 20
    assert paragraphs(f"<div class='wrapper_meta_field'><p>{text.strip()}</p></div>") == [
        text.strip()
    ]
    assert paragraphs("<div class='entry-meta'>Posted in News</div><p>Text.</p>") == ["Text."]


def test_segments_after_an_element_with_their_blocks_and_layout_cells() -> None:
    root = parse_html(
        "<table><tr><td>Masthead<br>Edition</td><td><b id='h'>Headline</b><br>"
        "First line<br><br>Second paragraph</td></tr></table>"
    )
    assert root is not None
    headline = root.get_element_by_id("h")
    found = segments(root, after=headline)
    assert [text for text, _ in found] == ["First line", "Second paragraph"]
    assert all(owner.tag == "td" for _, owner in found)
