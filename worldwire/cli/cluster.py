"""`worldwire cluster IN.jsonl > OUT.jsonl`: replay an article stream through the clusterer."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from worldwire.cluster.replay import replay


def _write(lines: Iterable[str], workers: int) -> None:
    for decision in replay(lines, workers=workers):
        sys.stdout.write(decision.as_json() + "\n")


def cluster(
    stream: Annotated[
        Path,
        typer.Argument(
            help="JSON Lines of {id, title, text, url, source, published, lang}; - for stdin.",
            allow_dash=True,
        ),
    ],
    workers: Annotated[
        int | None,
        typer.Option(
            help="Processes preparing articles ahead of the clusterer (0: none); "
            "the decisions are the same. Default: one per CPU.",
            min=0,
        ),
    ] = None,
) -> None:
    """Cluster an article stream offline, one article at a time in the order given.

    Prints one JSON line per article: {id, story, duplicate_of}, where duplicate_of
    names the article this one is a syndicated copy of, or is null.
    """
    if workers is None:
        workers = os.cpu_count() or 0
    if str(stream) == "-":
        _write(sys.stdin, workers)
        return
    try:
        handle = stream.open(encoding="utf-8")
    except OSError as exc:
        typer.echo(f"error: cannot read {stream}: {exc}", err=True)
        raise typer.Exit(2) from exc
    with handle:
        _write(handle, workers)


def register(app: typer.Typer) -> None:
    app.command()(cluster)
