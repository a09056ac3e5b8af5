"""X-Hub-Signature: strong algorithms accepted, SHA-1 only when allowed, everything
else refused with the reason."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from worldwire.websub.signature import Check, check, sign

SECRET = "0f" * 32
BODY = b"<feed>news</feed>"


def header(algorithm: str, secret: str = SECRET, body: bytes = BODY) -> str:
    digest = hmac.new(secret.encode(), body, getattr(hashlib, algorithm)).hexdigest()
    return f"{algorithm}={digest}"


@pytest.mark.parametrize("algorithm", ["sha256", "sha384", "sha512"])
def test_strong_algorithms_verify(algorithm: str) -> None:
    assert check(header(algorithm), SECRET, BODY) is Check.VALID
    assert check(header(algorithm).upper().replace("SHA", "sha"), SECRET, BODY) is Check.VALID
    assert sign(SECRET, BODY, algorithm) == header(algorithm)


def test_sha1_only_when_the_operator_allows_it() -> None:
    assert check(header("sha1"), SECRET, BODY) is Check.WEAK_ALGORITHM
    assert check(header("sha1"), SECRET, BODY, allow_sha1=True) is Check.VALID


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        (None, Check.MISSING),
        ("", Check.MISSING),
        ("sha256", Check.MALFORMED),
        ("sha256=", Check.MALFORMED),
        ("md5=" + "0" * 32, Check.UNKNOWN_ALGORITHM),
        (header("sha256", secret="another secret"), Check.MISMATCH),
        (header("sha256", body=b"<feed>other</feed>"), Check.MISMATCH),
        ("sha256=" + "é" * 64, Check.MISMATCH),
    ],
)
def test_refusals(value: str | None, verdict: Check) -> None:
    assert check(value, SECRET, BODY, allow_sha1=True) is verdict
