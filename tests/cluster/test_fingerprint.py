from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cluster.syndication import syndicate
from worldwire.cluster.dedup import DedupIndex
from worldwire.cluster.fingerprint import Fingerprint, containment, fingerprint, resemblance

DATA = Path(__file__).resolve().parents[1] / "data" / "cluster"
ORIGINAL = (DATA / "wire-original.txt").read_text()
OTHER_OUTLET = (DATA / "same-event-other-outlet.txt").read_text()


def _fp(text: str) -> Fingerprint:
    fp = fingerprint(text)
    assert fp is not None
    return fp


def test_bytes_round_trip() -> None:
    fp = _fp(ORIGINAL)
    assert Fingerprint.from_bytes(fp.to_bytes()) == fp
    with pytest.raises(ValueError):
        Fingerprint.from_bytes(b"\x00\x01")


def test_stable_across_processes() -> None:
    # Python's str hash is salted per process; a stored fingerprint must not be.
    code = (
        "import sys; from worldwire.cluster.fingerprint import fingerprint; "
        "sys.stdout.write(fingerprint(sys.stdin.read()).to_bytes().hex())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code], input=ORIGINAL, capture_output=True, text=True, check=True
    )
    assert bytes.fromhex(other.stdout) == _fp(ORIGINAL).to_bytes()


def test_too_short_text_has_no_fingerprint() -> None:
    assert fingerprint("Floods again.") is None
    assert fingerprint("Floods in the valley.") is not None
    assert fingerprint(ORIGINAL.split("\n")[0]) is not None


def test_containment_of_a_lead_in_its_article() -> None:
    lead = "\n".join(ORIGINAL.split("\n")[:1])
    assert containment(_fp(ORIGINAL), _fp(lead)) == 1.0
    assert containment(_fp(OTHER_OUTLET), _fp(lead)) == 0.0


def test_brief_copy_is_found_across_sources_only() -> None:
    brief = "Marrow river floods Eastbridge as 3,400 flee their homes."
    index = DedupIndex()
    index.add(1, _fp(brief), source="wire")
    index.add(2, _fp(ORIGINAL), source="wire")
    copied = "This report by Wire is republished under a syndication agreement.\n" + brief
    assert index.find(_fp(copied), source="paper") == 1
    # The same words in another item of the same site are its boilerplate; the same
    # text again is the item republished.
    assert index.find(_fp(copied), source="wire") is None
    assert index.find(_fp(brief), source="wire") == 1
    other = "Marrow river floods Eastbridge again; the army sends boats to the valley."
    assert index.find(_fp(other), source="paper") is None


def test_estimates() -> None:
    a = _fp(ORIGINAL)
    assert resemblance(a, a) == 1.0
    other = _fp(OTHER_OUTLET)
    assert resemblance(a, other) < 0.1
    half = "\n".join(ORIGINAL.split("\n")[:4])
    assert containment(a, _fp(half)) > 0.8
    assert resemblance(a, _fp(half)) < 0.8


@pytest.mark.parametrize("seed", range(20))
def test_syndicated_copy_is_found(seed: int) -> None:
    index = DedupIndex()
    index.add(1, _fp(ORIGINAL))
    index.add(2, _fp(OTHER_OUTLET))
    _, copy = syndicate("Floods force thousands from homes", ORIGINAL, random.Random(seed))
    assert index.find(_fp(copy)) == 1


def test_same_event_other_outlet_is_not_a_copy() -> None:
    index = DedupIndex()
    index.add(1, _fp(ORIGINAL))
    assert index.find(_fp(OTHER_OUTLET)) is None


def test_removed_article_is_not_found() -> None:
    index = DedupIndex()
    index.add(1, _fp(ORIGINAL))
    index.remove(1)
    assert len(index) == 0
    assert index.find(_fp(ORIGINAL)) is None
