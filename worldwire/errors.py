"""The exception tree. Each error carries the context a person needs to act on it.

    WorldWireError
    ├── SettingsError            a setting or settings file is invalid
    ├── SourceListError          a source list (OPML, YAML, TOML) cannot be read
    ├── FetchError               an outbound request failed (carries url)
    │   ├── BlockedAddress       the target resolves to a refused network
    │   ├── TooManyRedirects     more hops than fetch_max_redirects, or a loop
    │   ├── BodyTooLarge         the decoded body exceeds fetch_max_bytes
    │   ├── DeadlineExceeded     the request's total deadline passed
    │   └── HTTPStatusError      the server answered with an error status
    ├── ParseError               a feed or sitemap could not be read (carries url)
    ├── StoreError               the store refused an operation
    └── QueryError               a query's parameters are invalid (bad cursor, filter)

Stages that read untrusted input (parse, extract) return results with warnings
where they can, and raise only when nothing useful can be recovered.
"""

from __future__ import annotations


class WorldWireError(Exception):
    """Base of every error WorldWire raises on purpose."""


class SettingsError(WorldWireError):
    pass


class SourceListError(WorldWireError):
    pass


class FetchError(WorldWireError):
    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.retry_after = retry_after

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base} ({self.url})" if self.url else base


class BlockedAddress(FetchError):
    pass


class TooManyRedirects(FetchError):
    pass


class BodyTooLarge(FetchError):
    pass


class DeadlineExceeded(FetchError):
    pass


class HTTPStatusError(FetchError):
    pass


class ParseError(WorldWireError):
    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.url = url


class StoreError(WorldWireError):
    pass


class QueryError(WorldWireError):
    pass
