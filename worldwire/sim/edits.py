"""How a site republishes a wire story: the small edits of real syndication.

Each copy gets at least one of: a new headline, a dropped paragraph, a local
intro line. The edits made are recorded in the ground truth.
"""

from __future__ import annotations

import random

_PREFIXES = ("UPDATE: ", "Breaking: ", "Report: ", "Just in: ")
_SUFFIXES = (" - report", " (update)", " - latest")
_INTROS = (
    "{city} readers have been following this story closely; here is the latest report from {wire}.",
    "This report by {wire} is republished by {site} under a syndication agreement.",
    "({site}) - The following story was distributed by {wire}.",
    "Our newsroom in {city} is following the reaction; {wire} reports:",
)


def new_headline(title: str, rng: random.Random) -> str:
    options = [
        rng.choice(_PREFIXES) + title,
        title.rstrip(".") + rng.choice(_SUFFIXES),
    ]
    for sep in (": ", " - "):
        if sep in title:
            head, _, tail = title.partition(sep)
            options.append(f"{tail[:1].upper()}{tail[1:]}{sep}{head}")
    words = title.split()
    if len(words) > 3 and title != title.title():
        options.append(" ".join(w if w.isupper() else w.capitalize() for w in words))
    return rng.choice([o for o in options if o != title] or [title + " - report"])


def republish(
    title: str,
    paragraphs: tuple[str, ...],
    *,
    site_name: str,
    city: str,
    wire_name: str,
    rng: random.Random,
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(title, paragraphs, edits) of an edited copy."""
    possible = ["headline", "intro"] + (["drop_paragraph"] if len(paragraphs) >= 3 else [])
    chosen = [e for e in possible if rng.random() < 0.5] or [rng.choice(possible)]
    edits: list[str] = []
    body = list(paragraphs)
    for edit in possible:  # a fixed order, so that the record reads predictably
        if edit not in chosen:
            continue
        if edit == "headline":
            title = new_headline(title, rng)
        elif edit == "drop_paragraph":
            del body[rng.randrange(1, len(body))]
        else:
            intro = rng.choice(_INTROS).format(city=city, site=site_name, wire=wire_name)
            body.insert(0, intro)
        edits.append(edit)
    return title, tuple(body), tuple(edits)
