"""`X-Hub-Signature: <algorithm>=<hex HMAC of the body, keyed with hub.secret>`.

SHA-1 is what old hubs send; it is refused unless the operator allows it, since a
signature is only as good as its hash. The comparison is constant-time."""

from __future__ import annotations

import hashlib
import hmac
from enum import Enum

STRONG = ("sha256", "sha384", "sha512")
WEAK = ("sha1",)


class Check(Enum):
    VALID = "valid"
    MISSING = "missing signature"
    MALFORMED = "malformed signature"
    UNKNOWN_ALGORITHM = "unknown signature algorithm"
    WEAK_ALGORITHM = "sha1 signature refused (websub_allow_sha1 is off)"
    MISMATCH = "signature does not match"


def sign(secret: str, body: bytes, algorithm: str = "sha256") -> str:
    digest = hmac.new(secret.encode(), body, getattr(hashlib, algorithm)).hexdigest()
    return f"{algorithm}={digest}"


def check(header: str | None, secret: str, body: bytes, *, allow_sha1: bool = False) -> Check:
    if not header:
        return Check.MISSING
    algorithm, sep, given = header.strip().partition("=")
    algorithm = algorithm.strip().lower()
    if not sep or not given:
        return Check.MALFORMED
    if algorithm in WEAK and not allow_sha1:
        return Check.WEAK_ALGORITHM
    if algorithm not in STRONG + WEAK:
        return Check.UNKNOWN_ALGORITHM
    expected = hmac.new(secret.encode(), body, getattr(hashlib, algorithm)).hexdigest()
    if not hmac.compare_digest(expected.encode(), given.strip().lower().encode("utf-8", "replace")):
        return Check.MISMATCH
    return Check.VALID
