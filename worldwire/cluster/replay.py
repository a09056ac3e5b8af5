"""Replay a stream of articles (JSON Lines) through the clusterer, offline.

Input lines carry `{id, title, text, url, source, published, lang}`; any other field,
above all a gold `story` label, is never read. Output rows are `{id, story,
duplicate_of}` with the ids exactly as given.
"""

from __future__ import annotations

import collections
import itertools
import json
import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from worldwire.cluster.online import ClusterConfig, Clusterer, Doc
from worldwire.cluster.prepare import Prepared, prepare

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


def replay(
    lines: Iterable[str], config: ClusterConfig | None = None, workers: int = 0
) -> Iterator[Decision]:
    """Cluster the stream one article at a time, in the order given.

    With `workers`, articles are prepared (the costly part that needs no shared state)
    in that many forked processes ahead of the clusterer, which still places them one
    at a time in order: the decisions are the same as without."""
    clusterer = Clusterer(config)
    input_ids: dict[int, InputId] = {}
    docs = read_docs(lines)
    ready = _prepared_ahead(docs, config, workers) if workers > 0 else _inline(docs)
    for input_id, doc, prepared in ready:
        input_ids[doc.id] = input_id
        assignment = clusterer.add(doc, prepared)
        original = assignment.duplicate_of
        yield Decision(
            input_id, assignment.story_id, None if original is None else input_ids[original]
        )


Ready = tuple[InputId, Doc, Prepared | None]
# Articles per task handed to a worker: enough to pay for the pickling round trip.
CHUNK = 32


def _inline(docs: Iterable[tuple[InputId, Doc]]) -> Iterator[Ready]:
    for input_id, doc in docs:
        yield input_id, doc, None  # the clusterer prepares it


def _prepare_chunk(docs: list[Doc], config: ClusterConfig | None) -> list[Prepared]:
    return [prepare(doc, config) for doc in docs]


def _prepared_ahead(
    docs: Iterable[tuple[InputId, Doc]], config: ClusterConfig | None, workers: int
) -> Iterator[Ready]:
    # Forked, not spawned: a worker starts at once with the gazetteer already loaded,
    # where a spawned one would spend a second importing it. Replay runs no threads.
    context = multiprocessing.get_context("fork")
    pending: collections.deque[tuple[list[tuple[InputId, Doc]], Future[list[Prepared]]]]
    pending = collections.deque()
    source = iter(docs)
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        while True:
            while len(pending) < 4 * workers:
                chunk = list(itertools.islice(source, CHUNK))
                if not chunk:
                    break
                task = pool.submit(_prepare_chunk, [doc for _, doc in chunk], config)
                pending.append((chunk, task))
            if not pending:
                return
            chunk, task = pending.popleft()
            for (input_id, doc), prepared in zip(chunk, task.result(), strict=True):
                yield input_id, doc, prepared
