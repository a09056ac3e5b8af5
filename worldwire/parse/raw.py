"""The shape every format reader returns, before normalisation into model.Entry."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class RawEntry:
    guid: str = ""
    link: str = ""
    title: str = ""
    published: object = None  # whatever the format had: ISO string, RFC 822, struct_time
    updated: object = None
    author: str = ""
    summary_html: str = ""
    content_html: str = ""
    categories: tuple[str, ...] = ()
    image: str = ""
    language: str = ""


@dataclass(slots=True)
class RawFeed:
    kind: str
    title: str = ""
    homepage: str = ""
    language: str = ""
    ttl: float | None = None
    hubs: tuple[str, ...] = ()
    self_url: str = ""
    entries: list[RawEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
