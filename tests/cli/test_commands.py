"""The `worldwire` command as a user runs it: real subprocesses, real ports."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from aiohttp import web

from ..conftest import StartServer

ENV = {**os.environ, "WORLDWIRE_LOG_FORMAT": "json"}


def worldwire(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "worldwire", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_sources_list_json_shows_the_bundled_world(tmp_path: Path) -> None:
    result = worldwire("sources", "list", "--json", "--db", str(tmp_path / "ww.db"))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) >= 150
    for key in ("id", "name", "feed_url", "homepage", "country", "languages"):
        assert key in rows[0]
    assert len({r["country"] for r in rows}) >= 50


def test_sources_import_export_and_remove(tmp_path: Path) -> None:
    db = str(tmp_path / "ww.db")
    (tmp_path / "mine.opml").write_text(
        '<opml version="2.0"><body><outline text="Mine" xmlUrl="https://mine.example/feed" '
        'country="KE" language="sw"/></body></opml>'
    )
    (tmp_path / "start.yaml").write_text("- name: Start\n  feed_url: https://start.example/rss\n")
    assert (
        worldwire(
            "sources", "list", "--db", db, "--sources", str(tmp_path / "start.yaml")
        ).returncode
        == 0
    )
    imported = worldwire("sources", "import", str(tmp_path / "mine.opml"), "--db", db)
    assert imported.returncode == 0 and "1 new" in imported.stdout
    exported = worldwire("sources", "export", "--format", "yaml", "--db", db)
    listed = yaml.safe_load(exported.stdout)
    assert [s["feed_url"] for s in listed] == [
        "https://start.example/rss",
        "https://mine.example/feed",
    ]
    assert listed[1]["country"] == "KE" and listed[1]["languages"] == ["sw"]
    assert worldwire("sources", "remove", "1", "--db", db).returncode == 0
    assert worldwire("sources", "remove", "1", "--db", db).returncode == 1
    opml = worldwire("sources", "export", "--db", db).stdout
    assert "mine.example" in opml and "start.example" not in opml


def test_bad_settings_are_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "worldwire", "sources", "list"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**ENV, "WORLDWIRE_PORT": "eighty"},
        check=False,
    )
    assert result.returncode == 2 and "WORLDWIRE_PORT" in result.stderr
    assert "Traceback" not in result.stderr


async def test_poll_once_exits_zero_even_when_sources_fail(
    serve_app: StartServer, tmp_path: Path
) -> None:
    async def feed(request: web.Request) -> web.Response:
        return web.Response(
            body=b'<rss version="2.0"><channel><title>t</title><item><title>A'
            b"</title><link>https://a.example/1</link></item></channel></rss>"
        )

    app = web.Application()
    app.router.add_get("/feed", feed)
    base = await serve_app(app)
    (tmp_path / "s.yaml").write_text(
        yaml.safe_dump(
            [
                {"name": "ok", "feed_url": base + "/feed"},
                {"name": "gone", "feed_url": base + "/gone"},
            ]
        )
    )
    import asyncio

    result = await asyncio.to_thread(
        worldwire,
        "poll",
        "--once",
        "--db",
        str(tmp_path / "ww.db"),
        "--sources",
        str(tmp_path / "s.yaml"),
        "--allow-net",
        "127.0.0.1",
    )
    assert result.returncode == 0, result.stderr
    assert "Polled 2 sources" in result.stdout
    assert "HTTP 404" in result.stdout


@pytest.mark.slow
async def test_run_serves_articles_within_seconds_and_stops_cleanly(
    serve_app: StartServer, tmp_path: Path
) -> None:
    async def feed(request: web.Request) -> web.Response:
        items = "".join(
            f"<item><title>Local story {i}</title><link>https://local.example/{i}</link></item>"
            for i in range(3)
        )
        return web.Response(
            body=f'<rss version="2.0"><channel><title>L</title>{items}</channel></rss>'.encode()
        )

    app = web.Application()
    app.router.add_get("/feed", feed)
    base = await serve_app(app)
    (tmp_path / "s.yaml").write_text(
        yaml.safe_dump([{"name": "L", "feed_url": base + "/feed", "country": "NZ"}])
    )
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "worldwire",
            "run",
            "--db",
            str(tmp_path / "ww.db"),
            "--sources",
            str(tmp_path / "s.yaml"),
            "--port",
            str(port),
            "--allow-net",
            "127.0.0.1",
        ],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    import asyncio

    try:
        items: list[dict[str, object]] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(items) < 3:
            await asyncio.sleep(0.2)
            try:
                body = await asyncio.to_thread(
                    lambda: urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/api/articles?country=NZ", timeout=2
                    ).read()
                )
            except OSError:
                continue
            items = json.loads(body)["items"]
        assert len(items) == 3
        for key in (
            "id",
            "url",
            "title",
            "source_id",
            "published_at",
            "seen_at",
            "visible_at",
            "language",
        ):
            assert key in items[0]
        health = await asyncio.to_thread(
            lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
        )
        assert json.loads(health) == {"status": "ok"}
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0, stderr
    logs = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    polled = [r for r in logs if r.get("msg") == "polled"]
    assert polled and {"source_id", "url", "status", "elapsed_ms"} <= set(polled[0])
    assert any("stopping" in r["msg"] for r in logs)
