"""The news text the world publishes, bundled with the package (see build_corpus.py).

- full-text English articles (ECB+, CC BY 3.0), grouped by event;
- English headlines (UCI News Aggregator, CC BY 4.0, plus ECB+ items without a
  body), grouped by story;
- short hand-written reports in fr/de/es/pt/it about some ECB+ events
  (data/multilingual.json), linked to them by event id.
"""

from __future__ import annotations

import functools
import gzip
import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True, slots=True)
class Text:
    id: str  # stable corpus id, recorded in the ground truth
    event: str  # "ecb:<topic>" or "uci:<story>"
    lang: str
    title: str
    paragraphs: tuple[str, ...]  # empty for a headline
    page: Path | None = None  # a real page to serve as is (gzipped HTML)


@dataclass(frozen=True)
class Corpus:
    articles: dict[str, tuple[Text, ...]]
    headlines: dict[str, tuple[Text, ...]]
    reports: dict[str, tuple[Text, ...]]  # by language


def real_pages(folder: Path) -> tuple[Text, ...]:
    """Real article pages with their human-marked text, from a Zyte-style folder. Their
    language is not known to the world: it records "und"."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, entry in sorted(truth.items()):
        path = folder / "html" / f"{page_id}.html.gz"
        paragraphs = tuple(p.strip() for p in entry["articleBody"].split("\n") if p.strip())
        if path.exists() and paragraphs:
            title = _page_title(gzip.decompress(path.read_bytes())) or paragraphs[0][:100]
            pages.append(Text(f"zyte-{page_id}", f"zyte:{page_id}", "und", title, paragraphs, path))
    return tuple(pages)


def _page_title(page: bytes) -> str:
    text = page.decode("utf-8", "replace")
    for pattern in (_OG_TITLE, _TITLE):
        found = pattern.search(text)
        if found:
            return html.unescape(" ".join(found.group(1).split()))
    return ""


_OG_TITLE = re.compile(r'<meta[^>]+property="og:title"[^>]+content="([^"]+)"', re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>([^<]+)</title>", re.IGNORECASE)


@functools.cache
def load() -> Corpus:
    raw = json.loads(gzip.decompress((DATA / "corpus.json.gz").read_bytes()))
    articles = {
        event: tuple(Text(a["id"], event, "en", a["title"], tuple(a["paragraphs"])) for a in items)
        for event, items in raw["articles"].items()
    }
    headlines = {
        event: tuple(Text(cid, event, "en", title, ()) for cid, title in items)
        for event, items in raw["headlines"].items()
    }
    reports: dict[str, list[Text]] = defaultdict(list)
    hand = json.loads((DATA / "multilingual.json").read_text(encoding="utf-8"))
    for r in hand["reports"]:
        cid = f"ml-{r['event'].split(':', 1)[1]}-{r['lang']}"
        reports[r["lang"]].append(
            Text(cid, r["event"], r["lang"], r["title"], tuple(r["paragraphs"]))
        )
    return Corpus(articles, headlines, {lang: tuple(v) for lang, v in reports.items()})
