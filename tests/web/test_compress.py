"""gzip for cached responses: compressed once, joined with a fresh nonce each time."""

from __future__ import annotations

import gzip
import re

import pytest

from worldwire.web.compress import accepts_gzip, deflate_parts, gzip_join

from .conftest import Site


@pytest.mark.parametrize(
    "parts",
    [
        (b"<html>only one part</html>",),
        (b'<script nonce="', b'"></script>' * 500, b""),
        (b"", b"", b""),
        (b"a" * 70_000, "é→🌍".encode() * 3000, b"end"),
    ],
)
def test_gzip_join_is_the_gzip_of_the_joined_body(parts: tuple[bytes, ...]) -> None:
    deflated = deflate_parts(parts)
    for nonce in (b"Xy-12_abcdefghijklmnopq", b"another-nonce-0000000000"):
        assert gzip.decompress(gzip_join(parts, deflated, nonce)) == nonce.join(parts)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (b"gzip, deflate, br", True),
        (b"br;q=1.0, gzip;q=0.8", True),
        (b"*", True),
        (b"gzip;q=0", False),
        (b"br", False),
        (b"identity", False),
    ],
)
def test_accepts_gzip(header: bytes, expected: bool) -> None:
    assert accepts_gzip([(b"accept-encoding", header)]) is expected
    assert accepts_gzip([]) is False


def test_pages_and_feeds_are_gzipped_for_readers_who_accept_it(site: Site) -> None:
    plain = site.get("/", {"Accept": "text/html"})
    packed = site.get("/", {"Accept": "text/html", "Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "accept-encoding"
    assert "content-encoding" not in plain.headers
    page = gzip.decompress(packed.body).decode()
    found = re.search(r"'nonce-([\w-]+)'", packed.headers["content-security-policy"])
    assert found is not None
    nonce = found.group(1)
    assert f'<script nonce="{nonce}"' in page
    assert len(packed.body) < len(plain.body) / 3
    assert re.sub(r'nonce="[\w-]+"', "", page) == re.sub(r'nonce="[\w-]+"', "", plain.text)


def test_each_encoding_has_its_own_etag(site: Site) -> None:
    plain = site.get("/feeds/latest.atom")
    packed = site.get("/feeds/latest.atom", {"Accept-Encoding": "gzip"})
    assert gzip.decompress(packed.body) == plain.body
    assert packed.headers["etag"] != plain.headers["etag"]
    again = {"Accept-Encoding": "gzip", "If-None-Match": packed.headers["etag"]}
    assert site.get("/feeds/latest.atom", again).status == 304
    assert site.get("/feeds/latest.atom", {"If-None-Match": packed.headers["etag"]}).status == 200


def test_static_files_are_gzipped(site: Site) -> None:
    page = site.get("/", {"Accept": "text/html"}).text
    found = re.search(r'src="(/static/app\.js\?v=\w+)"', page)
    assert found is not None
    src = found.group(1)
    plain = site.get(src)
    packed = site.get(src, {"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert gzip.decompress(packed.body) == plain.body
