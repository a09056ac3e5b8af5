from __future__ import annotations

from pathlib import Path

import pytest

from tests.extract.cases import cases, load_case
from worldwire.extract import extract


@pytest.mark.parametrize("path", cases("metadata"), ids=lambda p: p.stem)
def test_metadata_case(path: Path) -> None:
    html, expect = load_case(path)
    result = extract(html, expect.pop("url_in"))
    for field, wanted in expect.items():
        assert getattr(result, field) == wanted, field


def test_site_suffix_is_stripped_from_a_title_without_heading() -> None:
    html = (
        "<html><head><title>Tram line extended to the airport | City Gazette</title>"
        '<meta property="og:site_name" content="City Gazette"></head><body>'
        "<p>The new tram line opens in June after four years of works along the ring road, "
        "with trains every eight minutes at peak times.</p></body></html>"
    )
    assert (
        extract(html, "https://gazette.example/tram").title == "Tram line extended to the airport"
    )


def test_publisher_credited_as_author_gives_way_to_a_person() -> None:
    html = (
        '<html><head><meta name="author" content="City Gazette">'
        '<meta property="og:site_name" content="City Gazette"></head><body><article>'
        '<h1>Budget passes</h1><span class="author-name">Jonas Lind</span>'
        "<p>The council passed the budget after a long session on Tuesday night, with two "
        "members abstaining and the rest voting in favour.</p></article></body></html>"
    )
    assert extract(html, "https://gazette.example/budget").author == "Jonas Lind"


def test_the_headline_printed_alone_is_the_title_without_the_site_name() -> None:
    html = (
        "<html><head><title>Harbour Times: Ferry service resumes after the storm</title>"
        "</head><body><table><tr><td><b>Harbour Times</b></td></tr><tr><td>"
        "<font size='5'>Ferry service resumes after the storm</font><br><br>The ferry sailed "
        "again on Monday, four days after the storm.</td></tr></table></body></html>"
    )
    assert extract(html, "http://10.0.0.1/a.php?id=1").title == (
        "Ferry service resumes after the storm"
    )


def test_a_printed_site_name_is_not_taken_for_the_title() -> None:
    html = (
        "<html><head><title>Ferry service resumes | The Harbour Times Daily</title></head>"
        "<body><div>The Harbour Times Daily</div><p>The ferry sailed again on Monday, four "
        "days after the storm tore the pontoon away.</p></body></html>"
    )
    assert extract(html, "http://10.0.0.1/a").title != "The Harbour Times Daily"
