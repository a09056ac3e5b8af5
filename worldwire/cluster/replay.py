"""Replay a stream of articles (JSON Lines) through the clusterer, offline.

Input lines carry `{id, title, text, url, source, published, lang}`; any other field,
above all a gold `story` label, is never read. Output rows are `{id, story,
duplicate_of}` with the ids exactly as given.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from worldwire.cluster.online import ClusterConfig, Clusterer, Doc

InputId = str | int


def parse_published(value: Any) -> float:
    """UTC epoch seconds from an ISO 8601 date or datetime; 0.0 when absent or unreadable."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str) or not value.strip():
        return 0.0
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return 0.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return value if isinstance(value, str) else ""


def read_docs(lines: Iterable[str]) -> Iterator[tuple[InputId, Doc]]:
    """Parse input lines into (input id, Doc); the Doc gets a dense internal int id."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        input_id: InputId = row.get("id", number)
        doc = Doc(
            id=number,
            title=_text(row, "title"),
            text=_text(row, "text"),
            url=_text(row, "url"),
            source=_text(row, "source"),
            published=parse_published(row.get("published")),
            lang=_text(row, "lang"),
        )
        yield input_id, doc


@dataclass(slots=True)
class Decision:
    id: InputId
    story: int
    duplicate_of: InputId | None

    def as_json(self) -> str:
        return json.dumps(
            {"id": self.id, "story": self.story, "duplicate_of": self.duplicate_of},
            ensure_ascii=False,
        )


def replay(lines: Iterable[str], config: ClusterConfig | None = None) -> Iterator[Decision]:
    """Cluster the stream one article at a time, in the order given."""
    clusterer = Clusterer(config)
    input_ids: dict[int, InputId] = {}
    for input_id, doc in read_docs(lines):
        input_ids[doc.id] = input_id
        assignment = clusterer.add(doc)
        original = assignment.duplicate_of
        yield Decision(
            input_id, assignment.story_id, None if original is None else input_ids[original]
        )
