"""Start a simulated world in its own process (so it runs on the other core) and read
its OPML address list. Shared by the benchmarks."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from worldwire.model import SourceSpec
from worldwire.sources.opml import parse as parse_opml

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def world_process(sites: int, *sets: str, plain: bool = True, speedup: float = 1.0,
                  push_fraction: float = 0.0, truth: Path | None = None,
                  seed: int = 1) -> Iterator[tuple[list[SourceSpec], str]]:
    """Yields (sources, opml). The world stops when the block ends."""
    args = [sys.executable, "-m", "worldwire", "sim", "--sites", str(sites),
            "--speedup", str(speedup), "--push-fraction", str(push_fraction), "--seed", str(seed)]
    if plain:
        args.append("--plain")
    if truth is not None:
        args += ["--truth", str(truth)]
    for item in sets:
        args += ["--set", item]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "</opml>" in line:
                break
        opml = "".join(lines)
        if "</opml>" not in opml:
            raise RuntimeError(f"the world did not start (exit {proc.poll()})")
        yield parse_opml(opml, "world"), opml
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
