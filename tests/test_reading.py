"""The extraction pool as a process tree: workers forked from one server that loaded
the models, deaf to the signals meant for WorldWire, and nothing left behind when
WorldWire is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

POOL_SCRIPT = """
import asyncio, sys
from worldwire.fetch import Fetcher
from worldwire.reading import PageReader
from worldwire.settings import Settings

async def main():
    settings = Settings(data_dir=sys.argv[1], extract_workers=2)
    async with Fetcher(settings) as fetcher:
        reader = PageReader(fetcher, settings)
        await reader.start()
        print("ready", flush=True)
        await asyncio.sleep(3600)

asyncio.run(main())
"""


def _stat(pid: int) -> list[bytes] | None:
    """A process's /proc stat fields after its command (state, parent, ...), or None
    once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
    except OSError:
        return None


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        fields = _stat(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None and fields[0] != b"Z":  # a zombie has ended
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _parent(pid: int) -> int:
    fields = _stat(pid)
    assert fields is not None, f"process {pid} is gone"
    return int(fields[1])


def _ignores(pid: int, sig: int) -> bool:
    status = Path(f"/proc/{pid}/status").read_text()
    mask = int(status.split("SigIgn:")[1].split()[0], 16)
    return bool(mask & (1 << (sig - 1)))


def _alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if (fields := _stat(pid)) is not None and fields[0] != b"Z"}


@pytest.mark.slow
def test_workers_outlive_group_signals_but_not_a_killed_worldwire(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", POOL_SCRIPT, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        pool = _descendants(proc.pid)
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in pool]
        # A fork server and the two workers forked from it (and a resource tracker).
        assert sum(b"multiprocessing.forkserver" in c for c in commands) == 3
        # Ctrl-C and a service manager's SIGTERM reach every process of the group: the
        # workers leave stopping to WorldWire.
        workers = {pid for pid in pool if _parent(pid) in pool}
        assert len(workers) == 2
        deadline = time.monotonic() + 10  # the second may still be starting
        while not all(_ignores(pid, signal.SIGINT) for pid in workers):
            assert time.monotonic() < deadline, "a worker does not ignore SIGINT"
            time.sleep(0.1)
        for pid in workers:
            os.kill(pid, signal.SIGINT)
            os.kill(pid, signal.SIGTERM)
        time.sleep(0.5)
        assert _alive(workers) == workers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 15
        while _alive(pool) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _alive(pool) == set()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
