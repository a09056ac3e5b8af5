"""Source lists in and out, and feed autodiscovery against a real local site."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import web

from worldwire.errors import SourceListError, WorldWireError
from worldwire.fetch import Fetcher
from worldwire.model import SourceSpec
from worldwire.sources import bundled, dump, load_file
from worldwire.sources.discover import discover

from ..conftest import StartServer, make_settings

SPECS = [
    SourceSpec(
        "Le Monde – International",
        "https://www.lemonde.fr/international/rss_full.xml",
        "https://www.lemonde.fr/",
        "FR",
        ("fr",),
        "rss",
    ),
    SourceSpec(
        'Quote "and" backslash \\ test',
        "https://example.jp/sitemap-news.xml",
        "https://example.jp/",
        "JP",
        ("ja", "en"),
        "sitemap",
        full_text=False,
    ),
]


@pytest.mark.parametrize("fmt", ["opml", "yaml", "toml"])
def test_round_trip(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"list.{fmt}"
    path.write_text(dump(SPECS, fmt))
    loaded = load_file(path)
    assert [(s.name, s.feed_url, s.homepage, s.country, s.languages, s.kind) for s in loaded] == [
        (s.name, s.feed_url, s.homepage, s.country, s.languages, s.kind) for s in SPECS
    ]


def test_plain_opml_from_another_reader(tmp_path: Path) -> None:
    path = tmp_path / "reader.opml"
    path.write_text("""<?xml version="1.0"?><opml version="1.0"><head/><body>
      <outline text="Tech"><outline type="rss" text="Ars"
        xmlUrl="https://feeds.arstechnica.com/arstechnica/index"
        htmlUrl="https://arstechnica.com"/></outline>
      <outline type="rss" title="Atom One" text="x" xmlUrl="https://one.example/atom.xml"/>
      <outline type="rss" text="dupe" xmlUrl="https://one.example/atom.xml"/>
    </body></opml>""")
    specs = load_file(path)
    assert [(s.name, s.kind) for s in specs] == [("Ars", "rss"), ("Atom One", "atom")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- name: x\n  feed_url: ftp://x.example/feed\n", "http"),
        ("- name: x\n  feed_url: https://x.example/feed\n  country: NO\n", "quote it"),
        ("- name: x\n  feed_url: https://x.example/feed\n  country: France\n", "alpha-2"),
        ("- name: x\n  feed_url: https://x.example/feed\n  languages: [english]\n", "639-1"),
        ("- name: x\n  feed_url: https://x.example/feed\n  kind: podcast\n", "kind"),
        ("- just a string\n", "not a mapping"),
        ("key: [unclosed\n", "invalid YAML"),
    ],
)
def test_bad_lists_name_the_entry(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(SourceListError, match=message):
        load_file(path)


def test_hostile_opml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.opml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<opml><body><outline xmlUrl="https://x.example/&x;"/></body></opml>'
    )
    with pytest.raises(SourceListError, match="invalid OPML"):
        load_file(path)


def test_bundled_list_loads() -> None:
    specs = bundled()
    assert len(specs) >= 150
    assert all(s.feed_url.startswith(("http://", "https://")) for s in specs)
    assert len({s.country for s in specs}) >= 50


FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Site Feed</title>
<language>pt-BR</language><link>http://x/</link><item><title>A</title><link>http://x/a</link></item>
</channel></rss>"""


async def test_discovery_through_link_alternate(serve_app: StartServer, tmp_path: Path) -> None:
    async def home(request: web.Request) -> web.Response:
        return web.Response(
            content_type="text/html",
            text=(
                "<html><head><title>Home</title><link rel='alternate' "
                "type='application/rss+xml' title='Main' href='/news/feed.rss'></head>"
                "<body></body></html>"
            ),
        )

    async def feed(request: web.Request) -> web.Response:
        return web.Response(body=FEED, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/", home)
    app.router.add_get("/news/feed.rss", feed)
    base = await serve_app(app)
    async with Fetcher(make_settings(tmp_path)) as fetcher:
        spec, parsed = await discover(fetcher, base + "/")
    assert spec.feed_url == base + "/news/feed.rss"
    assert (spec.name, spec.languages, spec.homepage) == ("Site Feed", ("pt",), base + "/")
    assert len(parsed.entries) == 1


async def test_discovery_through_common_paths(serve_app: StartServer, tmp_path: Path) -> None:
    async def home(request: web.Request) -> web.Response:
        return web.Response(content_type="text/html", text="<html><head></head></html>")

    async def feed(request: web.Request) -> web.Response:
        return web.Response(body=FEED)

    app = web.Application()
    app.router.add_get("/", home)
    app.router.add_get("/rss.xml", feed)
    base = await serve_app(app)
    async with Fetcher(make_settings(tmp_path)) as fetcher:
        spec, _ = await discover(fetcher, base)
        assert spec.feed_url == base + "/rss.xml"
        # A feed URL given directly is taken as it is.
        direct, _ = await discover(fetcher, base + "/rss.xml")
        assert direct.feed_url == base + "/rss.xml"


async def test_discovery_failure_is_clear(serve_app: StartServer, tmp_path: Path) -> None:
    async def home(request: web.Request) -> web.Response:
        return web.Response(content_type="text/html", text="<html>nothing</html>")

    app = web.Application()
    app.router.add_get("/", home)
    base = await serve_app(app)
    async with Fetcher(make_settings(tmp_path)) as fetcher:
        with pytest.raises(WorldWireError, match="no feed found"):
            await discover(fetcher, base + "/")
