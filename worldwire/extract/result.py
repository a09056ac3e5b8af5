"""The values extraction hands back: what one page said, and what one site taught us."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(slots=True)
class Extraction:
    """The article read from one page. Plain values only, so that it pickles across a
    process pool and serialises to JSON as it is."""

    title: str = ""
    text: str = ""  # paragraphs separated by "\n\n"
    author: str = ""  # several joined with "; "
    published: str | None = None  # ISO 8601
    updated: str | None = None
    language: str = ""  # ISO 639-1
    image: str = ""
    url: str = ""  # canonical URL
    site_name: str = ""
    flags: tuple[str, ...] = ()  # "paywall", "consent-wall"
    method: str = ""  # the path that produced the text: selector, microdata, jsonld, container,
    # headline, trafilatura, trafilatura-full
    warnings: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """What extraction learned about one host: the XPath of its article container and how
    many pages in a row confirmed it. The pipeline stores it per host and hands it back."""

    host: str
    container: str = ""  # an XPath that selects the article container
    confidence: int = 0  # pages that agreed, minus those that did not

    def to_dict(self) -> dict[str, object]:
        return {"host": self.host, "container": self.container, "confidence": self.confidence}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> SiteProfile:
        confidence = data.get("confidence", 0)
        return cls(
            host=str(data.get("host", "")),
            container=str(data.get("container", "")),
            confidence=confidence if isinstance(confidence, int) else 0,
        )


def host_of(url: str) -> str:
    """The host a SiteProfile belongs to: "www." is the same site."""
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""
