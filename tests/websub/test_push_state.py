"""Push state as readers and operators see it: /api/sources and /sources show each
source's hub, lease, last push and arrivals, and say plainly when push is off and why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp

from tests.websub.conftest import push_only, running, until
from worldwire.sim import World


async def sources_json(http: aiohttp.ClientSession, url: str) -> list[dict[str, Any]]:
    async with http.get(url + "/api/sources") as r:
        assert r.status == 200
        items: list[dict[str, Any]] = (await r.json())["items"]
        return items


async def api_push(http: aiohttp.ClientSession, url: str, feed_url: str) -> dict[str, Any]:
    (push,) = [s["push"] for s in await sources_json(http, url) if s["feed_url"] == feed_url]
    return dict(push)


async def test_push_state_in_the_api_and_on_the_sources_page(
    world: World, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    async with running(tmp_path, world.opml()) as node:
        await until(lambda: push_only(node, world))
        record = await world.publish(world.sites[0].id)
        feed_url = world.sites[0].feed_url

        async def pushed() -> dict[str, Any] | None:
            # The API reads the store, which has the counters a moment after memory does.
            push = await api_push(http, node.url, feed_url)
            return push if push["arrivals"]["push"] else None

        push = await until(pushed)
        assert push["state"] == "active" and push["healthy"] is True
        assert push["hub"] == world.hub.url and push["topic"] == world.sites[0].feed_url
        assert push["lease_expires_at"] and push["last_push_at"]
        assert push["arrivals"] == {"push": 1, "poll": 0}
        assert push["last_error"] is None
        async with http.get(node.url + "/sources") as r:
            page = await r.text()
        assert "1 pushed, 0 polled first" in page and "lease until" in page
        assert "push is off" not in page.lower()
        assert record.pushed


async def test_without_a_public_url_push_is_off_and_says_why(
    world: World, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    async with running(tmp_path, world.opml(), public_url="") as node:

        async def found() -> bool:  # every source's hub noticed and saved
            return all(s["push"].get("hub") for s in await sources_json(http, node.url))

        await until(found)
        for item in await sources_json(http, node.url):
            push = item["push"]
            assert push["state"] == "off" and push["healthy"] is False
            assert "public_url" in push["note"] and "WORLDWIRE_PUBLIC_URL" in push["note"]
            assert push["hub"] == world.hub.url  # found, but not subscribed
        async with http.get(node.url + "/sources") as r:
            page = await r.text()
        assert "Push is off: this WorldWire has no public URL" in page
        assert not any(e.kind == "request" for e in world.hub.events)  # never subscribed
