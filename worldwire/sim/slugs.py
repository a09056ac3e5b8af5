"""Article addresses and summaries, the way each site template makes them."""

from __future__ import annotations

import re
import time
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(title: str, words: int = 8) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    parts = [p for p in _NON_WORD.split(ascii_title.lower()) if p][:words]
    return "-".join(parts) or "story"


def article_path(template: str, slug: str, seq: int, claimed: float) -> str:
    if template == "wordpress":
        return time.strftime("/%Y/%m/%d/", time.gmtime(claimed)) + slug + "/"
    if template == "modern":
        return f"/news/{slug}-{seq}"
    return f"/article.php?id={seq}"


def summary(paragraph: str, limit: int = 200) -> str:
    if len(paragraph) <= limit:
        return paragraph
    return paragraph[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
