"""Shared fixtures: real HTTP servers on 127.0.0.1 and settings for a test store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from worldwire.settings import Settings

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

StartServer = Callable[[web.Application], Awaitable[str]]


@pytest.fixture
async def serve_app() -> AsyncIterator[StartServer]:
    """Start aiohttp apps on 127.0.0.1 (a free port each); returns their base URL."""
    runners: list[web.AppRunner] = []

    async def start(app: web.Application) -> str:
        runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{port}"

    yield start
    for runner in runners:
        await runner.cleanup()


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a test: a store in tmp_path, loopback allowed, fast deadlines."""
    values: dict[str, Any] = {
        "data_dir": str(tmp_path),
        "allow_networks": ("127.0.0.1",),
        "fetch_deadline": 5.0,
        "fetch_connect_timeout": 2.0,
        # Page reading starts a process pool: tests that want it say so.
        "read_pages": False,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)
