"""The ground truth on disk: JSON Lines, append-only, flushed after every record so
that a reader in another process sees each item as soon as it is published."""

from __future__ import annotations

from pathlib import Path
from typing import IO

import orjson

from worldwire.sim.items import TruthRecord


class TruthLog:
    def __init__(self, path: Path | None, keep: bool = True) -> None:
        self.path = path
        self._keep = keep
        self.records: list[TruthRecord] = []
        self._file: IO[bytes] | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("ab")

    def append(self, *records: TruthRecord) -> None:
        """Record items published at the same instant (usually one)."""
        if self._keep:
            self.records.extend(records)
        if self._file is not None:
            self._file.write(b"".join(orjson.dumps(r) + b"\n" for r in records))
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def read(path: Path) -> list[dict[str, object]]:
    """The records of a truth file, as plain dicts."""
    with path.open("rb") as f:
        return [orjson.loads(line) for line in f if line.strip()]
