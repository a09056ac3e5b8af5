"""Synthetic syndication: republish real texts the way outlets copy wire stories.

Each copy gets one to three edits: a changed headline, a dropped paragraph, an added
local intro line, trimmed ends. Used by the dedup unit tests and the dedup gate.
"""

from __future__ import annotations

import random
import re

_INTROS = (
    "Our correspondent in the region sent this report.",
    "This story was updated with comment from local officials.",
    "Readers in our area have been following these events closely.",
    "The following report is from our partner news agency.",
)
_HEADLINE_TAGS = ("UPDATE 2 -", "WATCH:", "Breaking:", "Analysis -")


def _paragraphs(text: str) -> list[str]:
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    if len(paragraphs) > 1:
        return paragraphs
    # One block of text: make paragraphs of about three sentences.
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    return [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]


def _change_headline(title: str, rng: random.Random) -> str:
    words = title.split()
    if len(words) > 6 and rng.random() < 0.5:
        return " ".join(words[: len(words) * 2 // 3])
    return f"{rng.choice(_HEADLINE_TAGS)} {title}"


def syndicate(title: str, text: str, rng: random.Random) -> tuple[str, str]:
    """A republished copy of (title, text) with one to three random edits."""
    paragraphs = _paragraphs(text)
    edits = rng.sample(["headline", "drop", "intro", "trim"], k=rng.randint(1, 3))
    if "headline" in edits:
        title = _change_headline(title, rng)
    if "drop" in edits and len(paragraphs) > 3:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    if "intro" in edits:
        paragraphs.insert(0, rng.choice(_INTROS))
    if "trim" in edits and len(paragraphs) > 3:
        paragraphs = paragraphs[:-1]
        last = paragraphs[-1].split()
        paragraphs[-1] = " ".join(last[: max(1, len(last) // 2)])
    return title, "\n".join(paragraphs)
