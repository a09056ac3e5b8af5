"""`worldwire sources list|add|import|export|remove`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from worldwire import sources as source_lists
from worldwire.cli import options
from worldwire.cli.common import load_settings, report_errors
from worldwire.model import SourceSpec
from worldwire.settings import Settings
from worldwire.store import SQLiteStore
from worldwire.timefmt import iso

app = typer.Typer(help="List, add, import and export sources.", no_args_is_help=True)


@contextlib.contextmanager
def _store(settings: Settings) -> Iterator[SQLiteStore]:
    """The store, filled with the starting list the first time, as `run` would."""
    store = SQLiteStore(settings.db_path)
    try:
        if not store.list_sources_blocking():
            specs = (
                source_lists.load_file(settings.sources)
                if settings.sources
                else source_lists.bundled()
            )
            store.add_sources_blocking(specs)
        yield store
    finally:
        store.close_blocking()


@app.command("list")
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array on stdout.")] = False,
    db: options.Db = None,
    sources: options.SourcesFile = None,
) -> None:
    """Every enabled source with its health."""
    settings = load_settings(db=db, sources=sources)
    with report_errors(), _store(settings) as store:
        rows = [s for s in store.list_sources_blocking() if s.enabled]
    if as_json:
        from worldwire.web.api import source_json  # one JSON shape for CLI and API

        typer.echo(orjson.dumps([source_json(s) for s in rows]).decode())
        return
    table = Table("id", "name", "country", "lang", "kind", "last fetch", "errors", "last error")
    for s in rows:
        table.add_row(
            str(s.id),
            s.name[:40],
            s.country,
            ",".join(s.languages),
            s.kind,
            iso(s.last_fetch_at) or "never",
            str(s.error_count),
            s.last_error[:50],
        )
    Console().print(table)


@app.command()
def add(
    url: Annotated[str, typer.Argument(help="A feed URL, or a homepage to discover it from.")],
    country: Annotated[str, typer.Option(help="ISO 3166 alpha-2 code of the outlet.")] = "",
    language: Annotated[list[str] | None, typer.Option(help="ISO 639-1 code (repeatable).")] = None,
    db: options.Db = None,
    allow_net: options.AllowNet = None,
) -> None:
    """Add a source: the feed is found by autodiscovery when URL is a homepage."""
    base = load_settings()
    settings = load_settings(db=db, allow_networks=options.allow(allow_net, base.allow_networks))
    with report_errors():
        spec = asyncio.run(_discover(settings, url))
        spec = source_lists.spec_from_mapping(
            {
                "name": spec.name,
                "feed_url": spec.feed_url,
                "homepage": spec.homepage,
                "country": country or spec.country,
                "languages": list(language or spec.languages),
                "kind": spec.kind,
            },
            url,
        )
        with _store(settings) as store:
            (source_id,) = store.add_sources_blocking([spec])
    typer.echo(f"added source {source_id}: {spec.name} <{spec.feed_url}> ({spec.kind})")


async def _discover(settings: Settings, url: str) -> SourceSpec:
    from worldwire.fetch import Fetcher
    from worldwire.sources.discover import discover

    async with Fetcher(settings) as fetcher:
        spec, _feed = await discover(fetcher, url)
        return spec


@app.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="OPML, YAML or TOML source list.")],
    db: options.Db = None,
) -> None:
    """Add every source of a list (those already present are kept as they are)."""
    settings = load_settings(db=db)
    with report_errors():
        specs = source_lists.load_file(file)
        with _store(settings) as store:
            before = len(store.list_sources_blocking())
            store.add_sources_blocking(specs)
            added = len(store.list_sources_blocking()) - before
    typer.echo(f"read {len(specs)} sources from {file}: {added} new")


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="opml, yaml or toml.")] = "opml",
    db: options.Db = None,
) -> None:
    """Print every enabled source as OPML, YAML or TOML."""
    settings = load_settings(db=db)
    with report_errors(), _store(settings) as store:
        specs = [
            SourceSpec(s.name, s.feed_url, s.homepage, s.country, s.languages, s.kind, s.full_text)
            for s in store.list_sources_blocking()
            if s.enabled
        ]
        typer.echo(source_lists.dump(specs, fmt), nl=False)


@app.command()
def remove(
    source_id: Annotated[int, typer.Argument(help="The source's id (see `sources list`).")],
    db: options.Db = None,
) -> None:
    """Stop polling a source. Its articles stay."""
    settings = load_settings(db=db)
    with report_errors(), _store(settings) as store:
        removed = store.remove_source_blocking(source_id)
    if not removed:
        typer.echo(f"error: no enabled source {source_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"removed source {source_id}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="sources")
