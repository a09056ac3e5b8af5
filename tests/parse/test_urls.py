import pytest

from worldwire.parse.urls import canonicalize, host_of


@pytest.mark.parametrize(
    ("raw", "base", "expected"),
    [
        ("https://Example.COM:443/a?utm_source=x&id=3#top", "", "https://example.com/a?id=3"),
        ("/news/1?fbclid=abc", "https://site.example/feed", "https://site.example/news/1"),
        ("http://site.example:80", "", "http://site.example/"),
        (
            "http://site.example:8080/x?gclid=1&utm_medium=rss&b=2&a=1",
            "",
            "http://site.example:8080/x?b=2&a=1",
        ),
        ("  https://site.example/a b  ", "", "https://site.example/ab"),
        ("https://site.example/?mc_cid=1&mc_eid=2&pk_campaign=z", "", "https://site.example/"),
        ("javascript:alert(1)", "", ""),
        ("mailto:x@example.com", "", ""),
        ("ftp://site.example/file", "", ""),
        ("", "https://site.example/", ""),
        ("http://[::1]:8000/x", "", "http://[::1]:8000/x"),
        ("https://site.example:99999/", "", ""),
    ],
)
def test_canonicalize(raw: str, base: str, expected: str) -> None:
    assert canonicalize(raw, base) == expected


def test_canonical_form_is_stable() -> None:
    once = canonicalize("HTTPS://News.Example/Path/?utm_campaign=a&q=ü#frag")
    assert canonicalize(once) == once
    assert once.startswith("https://news.example/Path/?q=")


def test_host_of_keeps_port() -> None:
    assert host_of("http://127.0.0.1:8001/feed") == "127.0.0.1:8001"
