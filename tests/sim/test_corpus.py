"""The bundled corpus: small, loadable, and its hand-written reports tied to real events."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from worldwire.sim import corpus

SIM = Path(corpus.__file__).resolve().parent


def test_corpus_is_compact_and_complete() -> None:
    assert (SIM / "data" / "corpus.json.gz").stat().st_size < 2_000_000
    c = corpus.load()
    assert sum(len(t) for t in c.articles.values()) >= 300
    assert sum(len(t) for t in c.headlines.values()) >= 20_000
    for texts in c.articles.values():
        assert all(t.title and len(t.paragraphs) >= 2 and t.lang == "en" for t in texts)
    ids = [t.id for group in (c.articles, c.headlines) for ts in group.values() for t in ts]
    assert len(ids) == len(set(ids))


def test_reports_cover_five_languages_and_real_events() -> None:
    c = corpus.load()
    assert set(c.reports) == {"fr", "de", "es", "pt", "it"}
    per_event: Counter[str] = Counter()
    for lang, reports in c.reports.items():
        assert len(reports) >= 6
        for report in reports:
            assert report.lang == lang and report.event in c.articles
            assert report.title and report.paragraphs
            per_event[report.event] += 1
    assert len(per_event) >= 8 and min(per_event.values()) >= 3


def test_the_world_imports_none_of_worldwire_stages() -> None:
    for path in SIM.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                if name.startswith("worldwire"):
                    assert name.startswith("worldwire.sim"), f"{path.name} imports {name}"
