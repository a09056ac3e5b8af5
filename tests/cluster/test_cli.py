from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from worldwire.cli import app

DATA = Path(__file__).resolve().parents[1] / "data" / "cluster"

ROWS: list[dict[str, object]] = [
    {
        "id": "a-1",
        "title": "Marrow river floods Eastbridge, 3,400 evacuated",
        "published": "2024-05-07",
    },
    {
        "id": 2,
        "title": "Amara Osei wins Ghana presidential run-off",
        "published": "2024-05-07T09:30:00Z",
    },
    {
        "id": "a-3",
        "title": "Eastbridge floods: Marrow river breaches wall",
        "published": "2024-05-07",
    },
    {"id": 4, "title": "Ghana: Amara Osei declared run-off winner", "published": ""},
    {
        "id": "wire",
        "title": "Floods in the Marrow valley",
        "text": (DATA / "wire-original.txt").read_text(),
        "published": "2024-05-08",
    },
    {
        "id": "copy",
        "title": "Our region: the floods",
        "text": (DATA / "wire-original.txt").read_text(),
        "published": "2024-05-08",
    },
]


def _run(tmp_path: Path, rows: list[dict[str, object]], *options: str) -> list[dict[str, object]]:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = CliRunner().invoke(app, ["cluster", str(path), *options])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_cluster_command(tmp_path: Path) -> None:
    out = _run(tmp_path, ROWS)
    assert [row["id"] for row in out] == [row["id"] for row in ROWS]
    story = {row["id"]: row["story"] for row in out}
    assert story["a-1"] == story["a-3"] != story[2] == story[4]
    assert story["wire"] == story["copy"]
    links = {row["id"]: row["duplicate_of"] for row in out}
    assert links == {"a-1": None, 2: None, "a-3": None, 4: None, "wire": None, "copy": "wire"}


def test_workers_preparing_ahead_decide_the_same(tmp_path: Path) -> None:
    # More articles than one chunk, so that several workers each prepare some.
    rows = [{**row, "id": f"{n}-{row['id']}"} for n in range(12) for row in ROWS]
    inline = _run(tmp_path, rows, "--workers", "0")
    assert _run(tmp_path, rows, "--workers", "2") == inline
    assert len({row["story"] for row in inline}) > 2


def test_gold_labels_in_the_input_are_ignored(tmp_path: Path) -> None:
    labelled = [dict(row, story=f"gold-{i % 2}") for i, row in enumerate(ROWS)]
    assert _run(tmp_path, labelled) == _run(tmp_path, ROWS)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["cluster", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "cannot read" in result.output
