"""Templates: Jinja2 with autoescaping on, so every string from a feed is escaped
unless a filter here says otherwise after escaping it itself."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from worldwire import __version__
from worldwire.store.interface import MARK_CLOSE, MARK_OPEN
from worldwire.timefmt import iso
from worldwire.web import places
from worldwire.web.cards import safe_url
from worldwire.web.security import NONCE_MARK

SITE = "WorldWire"


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    content_type: str
    etag: str
    gzipped: bytes

    @property
    def version(self) -> str:
        return self.etag.strip('"')[:10]


@cache
def assets() -> dict[str, Asset]:
    """The static files, read once; their URLs carry a content hash so that browsers
    may cache them for a year."""
    found: dict[str, Asset] = {}
    for item in resources.files("worldwire.web").joinpath("static").iterdir():
        if not item.is_file() or item.name.startswith("."):
            continue
        body = item.read_bytes()
        kind = mimetypes.guess_type(item.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind == "application/javascript":
            kind += "; charset=utf-8"
        digest = hashlib.blake2b(body, digest_size=8).hexdigest()
        found[item.name] = Asset(body, kind, f'"{digest}"', gzip.compress(body, 9, mtime=0))
    return found


def static_url(name: str) -> str:
    return f"/static/{name}?v={assets()[name].version}"


def utc_text(ts: float | None) -> str:
    if ts is None:
        return ""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


def duration(seconds: float | None) -> str:
    """40 s, 3 min, 2 h, 5 d: how long, at a glance."""
    if seconds is None:
        return ""
    if seconds < 90:
        return f"{round(seconds)} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} d"


def marked(text: str) -> Markup:
    """Search output to HTML: escape everything, then turn the store's match markers
    into <mark> tags (balanced, whatever the text holds)."""
    out: list[str] = []
    open_ = False
    for ch in text:
        if ch == MARK_OPEN:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif ch == MARK_CLOSE:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(str(escape(ch)))
    if open_:
        out.append("</mark>")
    return Markup("".join(out))  # noqa: S704 (each character was escaped above)


def _flag(code: str) -> Markup:
    emoji = places.flag(code)
    if not emoji:
        return Markup("")
    return Markup('<span class="flag" role="img" aria-label="{}">{}</span>').format(
        places.country_name(code), emoji
    )


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("worldwire.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
    )
    env.filters.update(
        iso=iso,
        utc=utc_text,
        duration=duration,
        flag=_flag,
        country_name=places.country_name,
        region_name=places.region_name,
        topic_label=places.topic_label,
        safe_url=safe_url,
        marked=marked,
    )
    env.globals.update(
        site=SITE,
        version=__version__,
        nonce=NONCE_MARK,
        static_url=static_url,
        regions=places.regions,
        topics=places.topics,
    )
    return env


def render(template: str, **context: Any) -> bytes:
    return environment().get_template(template).render(**context).encode()


def render_block(template: str, macro: str, *args: Any) -> str:
    """One macro of a template, e.g. a story card for the live stream."""
    module = environment().get_template(template).module
    return str(getattr(module, macro)(*args))
