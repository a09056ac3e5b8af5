"""A world in its own process, for benchmarks that must not share a core with it.

    with WorldProcess(WorldConfig(sites=1000, speedup=60.0), truth_path=p, cpu=1) as world:
        world.feeds          # [Outline(name, feed_url, url, lang, country, kind, role, hub)]
        ...                  # poll them; read the truth file as it grows

It runs `python -m worldwire sim` with the config's fields, waits for the OPML (the
world is up when it arrives), and stops the process with SIGTERM on exit.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from lxml import etree

from worldwire.sim.config import WorldConfig


@dataclass(frozen=True, slots=True)
class Outline:
    name: str
    feed_url: str
    url: str
    lang: str
    country: str
    kind: str  # the OPML version attribute: RSS2, RSS1, atom, jsonfeed or news-sitemap
    role: str
    hub: str | None


class WorldProcess:
    def __init__(
        self, cfg: WorldConfig, truth_path: Path | None = None, *, cpu: int | None = None
    ) -> None:
        self.cfg = cfg
        self.truth_path = truth_path
        self.cpu = cpu
        self.opml = ""
        self.feeds: list[Outline] = []
        self._proc: subprocess.Popen[str] | None = None

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "worldwire", "sim", "--sites", str(self.cfg.sites)]
        defaults = WorldConfig(sites=self.cfg.sites)
        for f in dataclasses.fields(self.cfg):
            value = getattr(self.cfg, f.name)
            if f.name != "sites" and value != getattr(defaults, f.name):
                cmd += ["--set", f"{f.name}={_text(value)}"]
        if self.truth_path is not None:
            cmd += ["--truth", str(self.truth_path)]
        return cmd

    def __enter__(self) -> WorldProcess:
        # Our own interpreter with arguments built from a WorldConfig: no shell, no outside input.
        self._proc = subprocess.Popen(self.command(), stdout=subprocess.PIPE, text=True)  # noqa: S603
        if self.cpu is not None and self.cpu in os.sched_getaffinity(0):
            os.sched_setaffinity(self._proc.pid, {self.cpu})
        assert self._proc.stdout is not None
        lines = []
        for line in self._proc.stdout:
            lines.append(line)
            if line.strip() == "</opml>":
                break
        else:
            code = self._proc.wait()
            raise RuntimeError(f"the world exited with {code} before printing its OPML")
        self.opml = "".join(lines)
        self.feeds = [
            Outline(
                name=o.get("text", ""),
                feed_url=o.get("xmlUrl", ""),
                url=o.get("htmlUrl", ""),
                lang=o.get("language", ""),
                country=o.get("country", ""),
                kind=o.get("version", ""),
                role=o.get("role", ""),
                hub=o.get("hub"),
            )
            for o in etree.fromstring(self.opml.encode()).iter("outline")
        ]
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._proc is None:
            return
        self._proc.send_signal(signal.SIGTERM)
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()


def _text(value: object) -> str:
    if isinstance(value, dict):
        return ",".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    return str(value)
