from __future__ import annotations

import asyncio
import gzip
import json
import sys
from pathlib import Path

import pytest
from aiohttp import web
from typer.testing import CliRunner

from tests.conftest import StartServer
from tests.extract.cases import DATA, load_case
from worldwire.cli import app
from worldwire.cli.extract import JSON_KEYS

SEED = DATA / "seed" / "newspaper-theme.html"


def test_json_lines_in_input_order_for_files(tmp_path: Path) -> None:
    html, expect = load_case(SEED)
    plain = tmp_path / "page.html"
    plain.write_bytes(html)
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(html))
    inputs = [str(packed), str(tmp_path / "missing.html"), *[str(plain)] * 30]
    result = CliRunner().invoke(app, ["extract", "--json", *inputs])
    assert result.exit_code == 1  # one input could not be read
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["input"] for r in records] == inputs
    assert all(tuple(r)[: len(JSON_KEYS)] == JSON_KEYS for r in records)
    assert records[0]["title"] == expect["title"]
    assert records[0]["text"].split("\n\n") == expect["paragraphs"]
    assert records[0]["author"] == expect["author"] and records[0]["flags"] == []
    assert "error" in records[1] and records[1]["text"] == ""
    assert records[-1] == {**records[0], "input": str(plain)}


def test_url_option_names_the_page(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><p>A paragraph long enough to be kept as the text of this article, "
        "with a <a href='/next'>link</a>.</p></body></html>"
    )
    result = CliRunner().invoke(
        app, ["extract", "--json", "--url", "https://paper.example/a/1", str(page)]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["url"] == "https://paper.example/a/1"


def test_human_output(tmp_path: Path) -> None:
    html, expect = load_case(SEED)
    page = tmp_path / "page.html"
    page.write_bytes(html)
    result = CliRunner().invoke(app, ["extract", str(page)])
    assert result.exit_code == 0
    assert f"title: {expect['title']}" in result.stdout
    assert expect["paragraphs"][0] in result.stdout


@pytest.mark.slow
async def test_fetches_urls_through_the_guarded_client(serve_app: StartServer) -> None:
    html, expect = load_case(SEED)

    async def article(_: web.Request) -> web.Response:
        return web.Response(body=html, content_type="text/html", charset="utf-8")

    application = web.Application()
    application.router.add_get("/article", article)
    base = await serve_app(application)
    command = [sys.executable, "-m", "worldwire", "extract", "--json", f"{base}/article"]
    refused = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, _ = await refused.communicate()
    assert refused.returncode == 1 and "error" in json.loads(out)  # loopback is not allowed
    allowed = await asyncio.create_subprocess_exec(
        *command, "--allow-net", "127.0.0.1", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await allowed.communicate()
    record = json.loads(out)
    assert allowed.returncode == 0
    assert record["title"] == expect["title"] and record["input"] == f"{base}/article"
