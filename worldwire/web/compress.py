"""gzip for cached responses, compressed once, even for pages whose CSP nonce changes
with every response.

A page is compressed once as raw deflate pieces, one per part between nonces, each
flushed to a byte boundary. A response joins them with each nonce as a stored
(uncompressed) block, ends the stream, and adds the gzip trailer: the work per
response is a CRC over the page, not a compression."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

LEVEL = 6
# gzip header: magic, deflate, no flags, no mtime, no extra flags, unknown OS.
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
# An empty stored block with BFINAL set: the end of the deflate stream.
_END = b"\x01\x00\x00\xff\xff"


def deflate_parts(parts: Sequence[bytes]) -> tuple[bytes, ...]:
    """Each part as raw deflate, ending on a byte boundary, none of them final."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return tuple(compressor.compress(p) + compressor.flush(zlib.Z_FULL_FLUSH) for p in parts)


def _stored(data: bytes) -> bytes:
    length = len(data)
    return b"\x00" + struct.pack("<HH", length, length ^ 0xFFFF) + data


def gzip_join(parts: Sequence[bytes], deflated: Sequence[bytes], nonce: bytes) -> bytes:
    """The gzip of nonce.join(parts), from the parts' deflate pieces."""
    crc = 0
    pieces = [_HEADER]
    for index, (part, packed) in enumerate(zip(parts, deflated, strict=True)):
        if index:
            crc = zlib.crc32(nonce, crc)
            pieces.append(_stored(nonce))
        crc = zlib.crc32(part, crc)
        pieces.append(packed)
    size = sum(len(p) for p in parts) + len(nonce) * (len(parts) - 1)
    pieces.append(_END)
    pieces.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(pieces)


def accepts_gzip(headers: Sequence[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        if name == b"accept-encoding":
            for item in value.lower().split(b","):
                coding, _, params = item.strip().partition(b";")
                if coding in (b"gzip", b"*"):
                    return params.replace(b" ", b"") not in (b"q=0", b"q=0.0", b"q=0.00")
    return False
