"""`worldwire sim` runs a world in its own process and prints its OPML."""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from worldwire.cli import app
from worldwire.sim import truth


@pytest.mark.slow  # starts a Python process that imports the whole CLI
def test_sim_command_serves_until_sigterm(tmp_path: Path) -> None:
    truth_path = tmp_path / "truth.jsonl"
    cmd = [sys.executable, "-m", "worldwire", "sim", "--sites", "12", "--speedup", "60",
           "--seed", "4", "--push-fraction", "0.5", "--truth", str(truth_path), "--plain",
           "--set", "initial_items=2"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.strip() == "</opml>":
                break
        outlines = etree.fromstring("".join(lines).encode()).findall("body/outline")
        assert len(outlines) == 12
        assert sum(1 for o in outlines if o.get("hub")) == 6
        with urllib.request.urlopen(outlines[0].get("xmlUrl"), timeout=10) as response:
            assert response.status == 200 and response.read()
        assert len(truth.read(truth_path)) >= 24
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "12 sites up" in err and "stopped" in err


def test_bad_world_setting_is_a_clear_error() -> None:
    result = CliRunner().invoke(app, ["sim", "--set", "colour=blue"])
    assert result.exit_code == 2
    assert "unknown world setting 'colour'" in result.output
