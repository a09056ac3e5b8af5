"""The benchmark harness: each benchmark is a module in bench/ with

    def run(smoke: bool) -> Report

`smoke=True` is the tiny version that `make test` runs so that benchmarks cannot
rot (seconds, not minutes); its figures are never asserted against targets.
`python -m bench [NAME ...] [--smoke]` runs them and writes, for each,
bench/results/NAME.json and NAME.md. Each benchmark runs its peer in the same
run, on the same inputs, and reports the ratio.
"""

from __future__ import annotations

import json
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Report:
    name: str
    # The figures, flat: {"ours_polls_per_s": 4100.0, "peer_polls_per_s": 380.0, "ratio": 10.8}
    figures: dict[str, Any] = field(default_factory=dict)
    # A short Markdown table: first row is the header.
    table: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        lines = [f"## {self.name}", ""]
        if self.table:
            header, *rows = self.table
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            lines.extend("| " + " | ".join(row) + " |" for row in rows)
            lines.append("")
        lines.extend(f"- {note}" for note in self.notes)
        return "\n".join(lines) + "\n"

    def save(self, smoke: bool = False) -> Path:
        RESULTS.mkdir(exist_ok=True)
        stem = self.name + (".smoke" if smoke else "")
        payload = {
            "name": self.name,
            "smoke": smoke,
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": {"python": platform.python_version(), "cpus": _cpus()},
            "figures": self.figures,
            "notes": self.notes,
        }
        (RESULTS / f"{stem}.json").write_text(json.dumps(payload, indent=2) + "\n")
        (RESULTS / f"{stem}.md").write_text(self.markdown())
        return RESULTS / f"{stem}.json"


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


def fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"
