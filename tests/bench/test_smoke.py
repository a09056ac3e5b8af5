"""Every benchmark runs in its tiny version, so that none can rot. Figures are never
compared with targets here: benchmarks are measured with `make bench`."""

from __future__ import annotations

import importlib

import pytest

from bench.__main__ import available
from bench.harness import Report


@pytest.mark.slow
@pytest.mark.parametrize("name", available())
def test_benchmark_smoke(name: str) -> None:
    module = importlib.import_module(f"bench.{name}")
    report = module.run(smoke=True)
    assert isinstance(report, Report) and report.name == name
    skipped = any(note.startswith("skipped") for note in report.notes)
    assert skipped or (report.table and report.figures), "a benchmark must measure something"
    assert report.markdown().startswith(f"## {name}")
