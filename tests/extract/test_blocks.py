from __future__ import annotations

from worldwire.extract.blocks import container_paragraphs
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
