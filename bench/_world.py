"""The simulated world in its own process (so it runs beside WorldWire, not inside it),
with its address list read as WorldWire sources. Shared by the benchmarks."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from worldwire.model import SourceSpec
from worldwire.sim.config import WorldConfig
from worldwire.sim.process import WorldProcess
from worldwire.sources.opml import parse as parse_opml


@contextlib.contextmanager
def world_process(
    cfg: WorldConfig, truth: Path | None = None
) -> Iterator[tuple[list[SourceSpec], WorldProcess]]:
    with WorldProcess(cfg, truth_path=truth) as world:
        yield parse_opml(world.opml, "world"), world
