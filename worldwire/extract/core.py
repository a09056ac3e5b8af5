"""extract(): one article page in, one Extraction out. Reads top to bottom like the
stage it is: decode, parse, read what the page says about itself, prune furniture,
find the text, clean it, judge walls, detect the language."""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from worldwire.extract.body import find_body
from worldwire.extract.cleanup import clean_paragraphs, link_texts
from worldwire.extract.cues import CueIndex
from worldwire.extract.document import decode_html, parse_html
from worldwire.extract.language import detect_language
from worldwire.extract.metadata import read_metadata
from worldwire.extract.prune import drop_furniture, drop_non_content
from worldwire.extract.result import Extraction, SiteProfile, host_of
from worldwire.extract.structured import read_signals
from worldwire.extract.walls import judge, read_wall_signs

# learn() usually runs right after extract() on the same page in the same worker: the
# last pruned tree is kept so that it need not parse the page again.
_last_page: tuple[bytes | str, HtmlElement] | None = None


def pruned_tree_of(html: bytes | str) -> HtmlElement | None:
    """The pruned tree of the page extract() read last, if html is that very object."""
    if _last_page is not None and _last_page[0] is html:
        return _last_page[1]
    return None


def extract(html: bytes | str, url: str = "", *, profile: SiteProfile | None = None) -> Extraction:
    """The article in one page. Never raises on bad input: what went wrong is in
    `warnings`, and what could be read is returned."""
    text, warnings = decode_html(html)
    root = parse_html(text)
    if root is None:
        return Extraction(url=url, method="none", warnings=(*warnings, "no HTML to parse"))
    global _last_page
    _last_page = None
    try:
        result = _extract_tree(root, url, profile, warnings)
        _last_page = (html, root)
        return result
    except (etree.LxmlError, ValueError, TypeError, RecursionError) as exc:
        # A page that breaks a library must not break the pipeline.
        warnings.append(f"extraction failed: {type(exc).__name__}: {exc}")
        return Extraction(url=url, method="none", warnings=tuple(warnings))


def _extract_tree(
    root: HtmlElement, url: str, profile: SiteProfile | None, warnings: list[str]
) -> Extraction:
    signals = read_signals(root)
    meta = read_metadata(root, signals, url)
    drop_non_content(root)
    cues = CueIndex(root)
    page_text = root.text_content()
    paywall_markup = drop_furniture(root, len(page_text), cues)
    signs = read_wall_signs(signals, page_text, paywall_markup)
    if profile is not None and profile.host and profile.host != host_of(meta.url or url):
        profile = None
    links = link_texts(root)

    def clean(paragraphs: list[str]) -> list[str]:
        return clean_paragraphs(paragraphs, meta, links)

    body = find_body(root, signals, profile, cues, meta.title, clean)
    warnings.extend(body.warnings)
    paragraphs = clean(body.paragraphs)
    article_text = "\n\n".join(paragraphs)
    flags = judge(signs, article_text, meta.title)
    if flags:
        warnings.append(f"{flags[0]} stub: {len(article_text)} characters withheld")
        article_text = ""
    elif not article_text:
        warnings.append("no article text found")
    language = detect_language(meta.title, article_text or meta.description, meta.declared_language)
    return Extraction(
        title=meta.title,
        text=article_text,
        author=meta.author,
        published=meta.published,
        updated=meta.updated,
        language=language.code,
        image=meta.image,
        url=meta.url or url,
        site_name=meta.site_name,
        flags=flags,
        method=body.method,
        warnings=tuple(warnings),
        description=meta.description,
    )
