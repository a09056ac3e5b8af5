"""Build the bundled news corpus of the simulated world from the CC BY sets in
`../shared/data/clustering/`:

    python -m worldwire.sim.build_corpus [--data ../shared/data] [--out FILE]

- ECB+ (CC BY 3.0): full-text English articles, grouped by event.
- UCI News Aggregator (CC BY 4.0): English headlines, grouped by story.

The output is `worldwire/sim/data/corpus.json.gz`, small enough to ship in the
package so that the demo runs on a fresh clone. The build is deterministic.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parents[1] / ".." / "shared" / "data"
DEFAULT_OUT = HERE / "data" / "corpus.json.gz"

# ECB+ text comes tokenised ("anti - piracy", "6. 0", "1, 500", "it ’ s"): undo
# the commonest splits so that pages read like the articles they came from.
# " - " is both a split hyphen ("anti - piracy", "face - to - face") and a dash
# ("Springfield - the same facility"): a chain of three or more words is a compound;
# before a word that opens a clause it is a dash; otherwise a hyphen.
_CLAUSE_OPENERS = frozenset(
    re.findall(
        r"\w+",
        "the a an although though which who whose he she they we it i but and or as while "
        "when where because so if not his her their its this that these those there then",
    )
)
_HYPHEN_CHAIN = re.compile(r"\w+(?: - \w+){2,}")
_SPLIT_HYPHEN = re.compile(r"(\w+) - (?=(\w+))")


def _hyphen_or_dash(match: re.Match[str]) -> str:
    left, right = match.group(1), match.group(2)
    return left + (" – " if right.lower() in _CLAUSE_OPENERS else "-")


_DETOKENISE: tuple[tuple[re.Pattern[str], Any], ...] = (
    (_HYPHEN_CHAIN, lambda m: m.group(0).replace(" - ", "-")),
    (_SPLIT_HYPHEN, _hyphen_or_dash),
    (re.compile(r"(\d)\. (?=\d)"), r"\1."),
    (re.compile(r"(\d), (?=\d{3}\b)"), r"\1,"),
    (re.compile(r" ’ "), "’"),
    (re.compile(r"(\w) ' (?=(?:s|t|re|ll|ve|d|m)\b)"), r"\1'"),
    (re.compile(r"\b([A-Z])\. (?=[A-Z]\.)"), r"\1."),
    (re.compile(r"“ "), "“"),
    (re.compile(r" ”"), "”"),
)
HEADLINE_MAX = 110
PARAGRAPH_CHARS = 320


def detokenise(text: str) -> str:
    for pattern, repl in _DETOKENISE:
        text = pattern.sub(repl, text)
    return text.strip()


def shorten(sentence: str, limit: int = HEADLINE_MAX) -> str:
    """A headline from a lead sentence: cut at a word boundary, marked with an ellipsis."""
    if len(sentence) <= limit:
        return sentence.rstrip(".")
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:-– ")
    return cut + "…"


def paragraphs(sentences: list[str]) -> list[str]:
    """ECB+ stores one sentence a line; news paragraphs hold one to three of them."""
    out: list[str] = []
    current: list[str] = []
    for sentence in sentences:
        current.append(sentence)
        if len(current) >= 3 or sum(len(s) for s in current) >= PARAGRAPH_CHARS:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def ecb_article(row: dict[str, Any]) -> dict[str, Any]:
    title = detokenise(row["title"])
    sentences = [detokenise(s) for s in row["text"].split("\n") if s.strip()]
    if len(title) > HEADLINE_MAX:
        # The set used the lead sentence as the title: keep it as the lead.
        sentences.insert(0, title)
        title = shorten(title)
    elif len(title) < 20 or title.endswith(":"):
        title = shorten(sentences[0]) if sentences else title
    return {"id": row["id"], "title": title, "paragraphs": paragraphs(sentences)}


def build(data: Path) -> dict[str, Any]:
    articles: dict[str, list[dict[str, Any]]] = defaultdict(list)
    headlines: dict[str, list[list[str]]] = defaultdict(list)
    for line in (data / "clustering" / "ecbplus.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        event = "ecb:" + row["story"]
        article = ecb_article(row)
        if len(article["paragraphs"]) >= 2:
            articles[event].append(article)
        elif article["title"]:
            headlines[event].append([row["id"], article["title"]])
    seen: set[tuple[str, str]] = set()
    for line in (data / "clustering" / "uci-headlines.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        title = " ".join(row["title"].split())
        event = "uci:" + row["story"]
        key = (event, title.casefold())
        # Cut-off titles ("...") and exact repeats inside a story are dropped.
        if title.endswith(("...", "…")) or len(title) < 15 or key in seen:
            continue
        seen.add(key)
        headlines[event].append([row["id"], title])
    return {
        "credits": {
            "ecbplus": "ECB+ corpus, Cybulska & Vossen (2014), CC BY 3.0",
            "uci-headlines": "UCI News Aggregator data set, Gasparetti (2016), CC BY 4.0",
        },
        "articles": dict(sorted(articles.items())),
        "headlines": dict(sorted(headlines.items())),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    corpus = build(args.data)
    raw = json.dumps(corpus, ensure_ascii=False, separators=(",", ":")).encode()
    args.out.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    n_articles = sum(len(v) for v in corpus["articles"].values())
    n_headlines = sum(len(v) for v in corpus["headlines"].values())
    print(
        f"{args.out}: {n_articles} articles, {n_headlines} headlines, "
        f"{len(corpus['articles']) + len(corpus['headlines'])} events, "
        f"{args.out.stat().st_size:,} bytes"
    )


if __name__ == "__main__":
    main()
