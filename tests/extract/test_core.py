from __future__ import annotations

import gzip
import pickle
import time
from pathlib import Path

import pytest

from tests.extract.cases import cases, load_case
from worldwire.extract import Extraction, extract


@pytest.mark.parametrize("path", cases("paths"), ids=lambda p: p.stem)
def test_path_case(path: Path) -> None:
    """Each page is read by the cheapest path that its structure vouches for, and gives
    the same paragraphs whichever path it takes."""
    html, expect = load_case(path)
    result = extract(html, "https://rail.example/news/night-trains")
    assert result.method == expect["method"]
    assert result.text.split("\n\n") == expect["paragraphs"]


@pytest.mark.parametrize(
    "html",
    [
        b"",
        b"\x00\x01\x02\xff\xfe\xfd" * 100,
        b"<html><body><p>unclosed <b>tags <i>everywhere",
        b"<<<>>>&&&;;;<!-- <!-- -->",
        "<p>" + "\ud800" * 3 + "</p>",
        b"<?xml version='1.0' encoding='utf-8'?><!DOCTYPE html><html><body><p>x</p></body></html>",
        b"<script>" + b"x" * 100_000,
        gzip.compress(b"<html><p>compressed bytes handed over by mistake</p></html>"),
    ],
    ids=["empty", "binary", "unclosed", "garbage", "surrogates", "xhtml", "script", "gzip"],
)
def test_hostile_input_never_raises(html: bytes | str) -> None:
    result = extract(html, "https://x.example/")
    assert isinstance(result, Extraction)
    if not result.text:
        assert result.warnings


@pytest.mark.slow
def test_deep_nesting_and_huge_pages_stay_bounded() -> None:
    deep = "<div>" * 20_000 + "<p>deep text</p>" + "</div>" * 20_000
    wide = "<html><body>" + "<p>filler paragraph number one two three</p>" * 40_000
    for page in (deep, wide):
        started = time.process_time()
        result = extract(page, "https://x.example/")
        assert isinstance(result, Extraction)
        assert time.process_time() - started < 30


def test_wrong_encoding_is_repaired() -> None:
    page = (
        "<html><head><title>Café</title></head><body><article>"
        + "<p>Die Bürger der Stadt äußerten sich zufrieden über die neue Straßenbahn.</p>" * 5
        + "</article></body></html>"
    ).encode("cp1252")
    result = extract(page, "https://x.example/")
    assert "Bürger" in result.text and "äußerten" in result.text


def test_results_pickle_for_the_process_pool() -> None:
    html, _ = load_case(cases("paths")[0])
    result = extract(html, "https://rail.example/news/night-trains")
    assert pickle.loads(pickle.dumps(result)) == result


def test_relative_image_and_canonical_become_absolute() -> None:
    page = (
        '<html><head><link rel="canonical" href="/news/1"><meta property="og:image" '
        'content="/img/a.jpg"></head><body><p>Text of the article long enough to count as a '
        "paragraph of prose for the extractor to keep it.</p></body></html>"
    )
    result = extract(page, "https://x.example/news/1?utm_source=feed")
    assert result.url == "https://x.example/news/1"
    assert result.image == "https://x.example/img/a.jpg"
