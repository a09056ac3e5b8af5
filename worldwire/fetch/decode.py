"""Content-Encoding decoding with a cap on the decoded size: a 10 KB gzip bomb must
not become 10 GB in memory."""

from __future__ import annotations

import zlib
from collections.abc import Callable

import brotli

from worldwire.errors import BodyTooLarge, FetchError


class BoundedDecoder:
    """Feed it the body as it arrives; it raises BodyTooLarge past `limit` bytes."""

    def __init__(self, encoding: str, limit: int, url: str = "") -> None:
        self._limit = limit
        self._url = url
        self._size = 0
        self._chunks: list[bytes] = []
        self._step: Callable[[bytes], bytes]
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._step = bytes
        elif encoding in ("gzip", "x-gzip", "deflate"):
            # 47 = auto-detect gzip or zlib header; raw deflate is handled on first error.
            self._zlib = zlib.decompressobj(47 if encoding != "deflate" else 15)
            self._raw_tried = encoding != "deflate"
            self._step = self._inflate
        elif encoding == "br":
            self._brotli = brotli.Decompressor()
            self._step = self._unbrotli
        else:
            raise FetchError(f"unsupported Content-Encoding {encoding!r}", url=url)

    def feed(self, data: bytes) -> None:
        try:
            out = self._step(data)
        except (zlib.error, brotli.error) as exc:
            raise FetchError(f"corrupt compressed body: {exc}", url=self._url) from exc
        self._append(out)

    def finish(self) -> bytes:
        if hasattr(self, "_zlib"):
            self._append(self._zlib.flush())
        return b"".join(self._chunks)

    def _append(self, out: bytes) -> None:
        self._size += len(out)
        if self._size > self._limit:
            raise BodyTooLarge(f"body larger than {self._limit} bytes once decoded", url=self._url)
        if out:
            self._chunks.append(out)

    def _room(self) -> int:
        return self._limit - self._size + 1

    def _inflate(self, data: bytes) -> bytes:
        try:
            out = self._zlib.decompress(data, self._room())
        except zlib.error:
            if self._raw_tried:
                raise
            # Some servers send raw deflate without the zlib header.
            self._raw_tried = True
            self._zlib = zlib.decompressobj(-15)
            out = self._zlib.decompress(data, self._room())
        if self._zlib.unconsumed_tail:  # the cap was hit inside this chunk
            raise BodyTooLarge(f"body larger than {self._limit} bytes once decoded", url=self._url)
        return out

    def _unbrotli(self, data: bytes) -> bytes:
        out: bytes = self._brotli.process(data, output_buffer_limit=self._room())
        if len(out) >= self._room():
            raise BodyTooLarge(f"body larger than {self._limit} bytes once decoded", url=self._url)
        return out
