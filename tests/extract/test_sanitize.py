from __future__ import annotations

from worldwire.extract import plain_text, sanitize_html

REL = 'rel="noopener noreferrer nofollow ugc"'


def test_dangerous_elements_go_with_their_content() -> None:
    dirty = (
        "<p>Hi<script>alert(1)</script><style>p{}</style><svg><text>s</text></svg>"
        "<math><mi>x</mi></math><iframe src='https://evil.example'></iframe>"
        "<form action='/x'><input name='q'>search</form></p>"
    )
    clean = sanitize_html(dirty, "https://news.example/a.html")
    assert clean.startswith("<p>Hi</p>")
    for gone in (
        "script",
        "alert",
        "style",
        "svg",
        "math",
        "<mi",
        "iframe",
        "evil",
        "form",
        "input",
    ):
        assert gone not in clean
    assert "search" not in clean and ">s<" not in clean


def test_event_handlers_and_styles_are_dropped() -> None:
    clean = sanitize_html('<p onclick="steal()" style="color:red" class="x">t</p>')
    assert clean == "<p>t</p>"


def test_links_only_http_https_mailto_with_rel() -> None:
    clean = sanitize_html(
        '<a href="https://a.example/">a</a><a href="mailto:d@a.example">m</a>'
        '<a href="javascript:alert(1)">j</a><a href="ftp://a.example/">f</a>'
        '<a href="data:text/html,x">d</a>',
        "https://news.example/",
    )
    assert f'<a href="https://a.example/" {REL}>a</a>' in clean
    assert f'<a href="mailto:d@a.example" {REL}>m</a>' in clean
    assert "javascript" not in clean and "ftp:" not in clean and "data:" not in clean


def test_relative_links_become_absolute_or_go() -> None:
    html = '<a href="/story/1">s</a><img src="pic.jpg" alt="">'
    clean = sanitize_html(html, "https://news.example/world/a.html")
    assert 'href="https://news.example/story/1"' in clean
    assert 'src="https://news.example/world/pic.jpg"' in clean
    assert "href" not in sanitize_html('<a href="/story/1">s</a>')


def test_plain_text() -> None:
    html = "<p>Fish &amp; chips</p><p>cost&nbsp;£5 &lt;today&gt;</p><script>x()</script>a<br>b"
    assert plain_text(html) == "Fish & chips cost £5 <today> a b"
    assert plain_text("") == ""
