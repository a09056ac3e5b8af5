"""Google News sitemaps (`<urlset>` with `news:news`), the feed of many big outlets."""

from __future__ import annotations

from lxml import etree

from worldwire.errors import ParseError
from worldwire.parse.raw import RawEntry, RawFeed

NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"

# No DTDs, no entities, no network, no giant trees: the body is untrusted.
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    recover=False,
    remove_comments=True,
)


def is_news_sitemap(view: bytes) -> bool:
    head = view[:2048]
    return b"<urlset" in head or b"<sitemapindex" in head


def parse_sitemap(body: bytes, url: str = "") -> RawFeed:
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"malformed sitemap: {exc}", url=url) from exc
    if etree.QName(root).localname == "sitemapindex":
        raise ParseError("a sitemap index, not a news sitemap: add one of its sitemaps", url=url)
    feed = RawFeed(kind="sitemap")
    for node in root.iter(f"{SM}url", "url"):
        loc = _text(node, f"{SM}loc") or _text(node, "loc")
        news = node.find(f"{NEWS}news")
        if news is None:
            continue
        pub = news.find(f"{NEWS}publication")
        language = _text(pub, f"{NEWS}language") if pub is not None else ""
        if pub is not None and not feed.title:
            feed.title = _text(pub, f"{NEWS}name")
        keywords = _text(news, f"{NEWS}keywords")
        image = node.find(f"{IMAGE}image")
        feed.entries.append(
            RawEntry(
                guid=loc,
                link=loc,
                title=_text(news, f"{NEWS}title"),
                published=_text(news, f"{NEWS}publication_date") or None,
                updated=_text(node, f"{SM}lastmod") or None,
                categories=tuple(k.strip() for k in keywords.split(",") if k.strip()),
                image=_text(image, f"{IMAGE}loc") if image is not None else "",
                language=language,
            )
        )
    if not feed.entries and len(root) and not root.findall(f".//{NEWS}news"):
        feed.warnings.append("a sitemap without news:news entries")
    return feed


def _text(node: etree._Element | None, tag: str) -> str:
    if node is None:
        return ""
    child = node.find(tag)
    return (child.text or "").strip() if child is not None else ""
