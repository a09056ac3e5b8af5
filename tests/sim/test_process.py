"""A world in its own process, as the benchmarks run it."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from worldwire.sim import WorldConfig, truth
from worldwire.sim.process import WorldProcess


@pytest.mark.slow  # starts a Python process that imports the whole CLI
def test_world_process_passes_its_config_and_stops(tmp_path: Path) -> None:
    cfg = WorldConfig(sites=8, speedup=120.0, seed=7, push_fraction=0.5, initial_items=2,
                      formats={"atom": 1.0}, slow_delay=(0.0, 0.1)).plain()  # fmt: skip
    path = tmp_path / "truth.jsonl"
    process = WorldProcess(cfg, truth_path=path, cpu=0)
    assert "--set" in process.command() and "formats=atom:1.0" in process.command()
    with process as world:
        assert len(world.feeds) == 8
        assert {f.kind for f in world.feeds} == {"atom"}
        assert sum(1 for f in world.feeds if f.hub) == 4
        with urllib.request.urlopen(world.feeds[0].feed_url, timeout=10) as response:
            assert b"<feed" in response.read()
        assert len(truth.read(path)) >= 16
    assert process._proc is not None and process._proc.returncode == 0
