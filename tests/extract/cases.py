"""Fixture pages that carry their own expectation, in an opening HTML comment:

<!--expect
{"title": "...", "paragraphs": [...]}
-->
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "extract"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "extraction"


def load_case(path: Path) -> tuple[bytes, dict[str, Any]]:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    start, end = text.index("<!--expect") + len("<!--expect"), text.index("-->")
    return raw, json.loads(text[start:end])


def cases(folder: str) -> list[Path]:
    return sorted((DATA / folder).glob("*.html"))
