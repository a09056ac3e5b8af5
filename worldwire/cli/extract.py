"""`worldwire extract FILE_OR_URL... [--json] [--url URL]`: read articles from pages."""

from __future__ import annotations

import asyncio
import gzip
import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer

from worldwire.cli import options
from worldwire.cli.common import load_settings
from worldwire.errors import FetchError
from worldwire.extract import Extraction, extract
from worldwire.settings import Settings

# The keys of --json output, in this order, for every input.
JSON_KEYS = (
    "input",
    "title",
    "text",
    "author",
    "published",
    "language",
    "image",
    "url",
    "site_name",
    "flags",
)


def extract_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="HTML files (.gz files are unpacked) or http(s) URLs.", metavar="FILE_OR_URL..."
        ),
    ],
    as_json: Annotated[
        bool,
        typer.Option("--json", help="One JSON object per input, one per line, in input order."),
    ] = False,
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            help="The address the file(s) were fetched from: resolves relative links and names "
            "the site.",
        ),
    ] = None,
    allow_net: options.AllowNet = None,
) -> None:
    """Extract the article (text, title, author, dates, language, image, canonical URL,
    site name, paywall or consent-wall flags) from each page. Start-up is paid once, so
    hundreds of files can go in one call. Exits 1 if any input could not be read."""
    remote = [i for i in inputs if _is_url(i)]
    fetched: dict[str, tuple[str, bytes | str] | str] = {}
    if remote:
        base = load_settings()
        settings = load_settings(allow_networks=options.allow(allow_net, base.allow_networks))
        fetched = asyncio.run(_fetch_all(settings, remote))
    failed = False
    for item in inputs:
        source = fetched[item] if _is_url(item) else _read_file(item)
        if isinstance(source, str):
            failed = True
            _emit(item, None, source, as_json)
            continue
        page_url, html = source
        _emit(item, extract(html, url or page_url), "", as_json)
    if failed:
        raise typer.Exit(1)


def _is_url(item: str) -> bool:
    return item.startswith(("http://", "https://"))


def _read_file(item: str) -> tuple[str, bytes] | str:
    """(url, bytes), or the error as a string."""
    try:
        data = Path(item).read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        return f"cannot read {item}: {exc}"
    return "", data


async def _fetch_all(
    settings: Settings, urls: list[str]
) -> dict[str, tuple[str, bytes | str] | str]:
    from worldwire.fetch import HTML_ACCEPT, Fetcher

    async def one(fetcher: Fetcher, address: str) -> tuple[str, bytes | str] | str:
        try:
            result = await fetcher.get(address, accept=HTML_ACCEPT)
        except FetchError as exc:
            return f"cannot fetch {address}: {exc}"
        return result.url, _decoded(result.body, result.headers.get("content-type", ""))

    async with Fetcher(settings) as fetcher:
        found = await asyncio.gather(*(one(fetcher, u) for u in urls))
    return dict(zip(urls, found, strict=True))


def _decoded(body: bytes, content_type: str) -> bytes | str:
    """The body as text when the server named a charset that fits it, else the bytes
    (extract then sniffs the encoding)."""
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            try:
                return body.decode(value.strip("\"' "))
            except (LookupError, UnicodeDecodeError):
                return body
    return body


def _emit(item: str, result: Extraction | None, error: str, as_json: bool) -> None:
    if as_json:
        record: dict[str, object] = {key: "" for key in JSON_KEYS}
        record["input"] = item
        record["published"] = None
        record["flags"] = []
        if result is not None:
            for key in JSON_KEYS[1:]:
                value = getattr(result, key)
                record[key] = list(value) if isinstance(value, tuple) else value
        if error:
            record["error"] = error
        sys.stdout.buffer.write(orjson.dumps(record) + b"\n")
        sys.stdout.buffer.flush()
        return
    if result is None:
        typer.echo(f"== {item}\nerror: {error}\n", err=True)
        return
    lines = [f"== {item}"]
    for key in ("title", "author", "published", "language", "url", "site_name", "image"):
        value = getattr(result, key)
        if value:
            lines.append(f"{key}: {value}")
    if result.flags:
        lines.append("flags: " + ", ".join(result.flags))
    lines.append(f"method: {result.method}")
    lines.extend(f"warning: {w}" for w in result.warnings)
    typer.echo("\n".join(lines) + "\n\n" + result.text + "\n")


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)
