"""WorldWire as a WebSub hub for its own output feeds: intent verification, leases,
signed distribution within a second of a view gaining a story, retries, and no
delivery once a lease has ended or the subscriber left."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import feedparser
import pytest

from tests.websub.conftest import Callback, Node, push_world, running, until
from worldwire.sim import World

SECRET = "a secret of the subscriber's"


@pytest.fixture
async def quiet_world(tmp_path: Path) -> AsyncIterator[World]:
    async with World(push_world(sites=2, push_fraction=0.0)) as w:
        yield w


async def subscribe(
    http: aiohttp.ClientSession,
    node: Node,
    topic: str,
    callback: str,
    *,
    mode: str = "subscribe",
    lease: int | None = 600,
    secret: str | None = SECRET,
) -> tuple[int, str]:
    form = {"hub.mode": mode, "hub.topic": topic, "hub.callback": callback}
    if lease is not None:
        form["hub.lease_seconds"] = str(lease)
    if secret is not None:
        form["hub.secret"] = secret
    async with http.post(f"{node.url}/hub", data=form) as r:
        return r.status, await r.text()


async def with_stories(node: Node) -> None:
    """Every source polled once: the first polls' stories are committed (a poll is
    recorded after its stories), so a subscription made now starts from a feed
    that already holds them, and only a later change is sent."""

    async def polled() -> bool:
        return all(s.last_fetch_at for s in await node.sources())

    await until(polled, timeout=10)
    assert await node.rt.store.max_story_id()


async def test_subscribers_get_the_new_feed_signed_as_the_view_gains_it(
    quiet_world: World, tmp_path: Path, http: aiohttp.ClientSession, callback: Callback
) -> None:
    async with running(tmp_path, quiet_world.opml()) as node:
        await with_stories(node)
        topic = f"{node.url}/feeds/latest.atom"
        assert await subscribe(http, node, topic, callback.url + "a") == (
            202, "accepted; intent verification follows\n")  # fmt: skip
        await until(lambda: node.rt.websub.hub.subscriptions(topic))
        (check,) = callback.verifications
        assert check["hub.mode"] == "subscribe" and check["hub.topic"] == topic
        assert check["hub.lease_seconds"] == "600" and len(check["hub.challenge"]) >= 16
        assert callback.deliveries == []  # nothing changed yet: nothing sent

        title = "Volcanic eruption forces evacuation of Grindavik fishing villages"
        text = ("Lava fountains rose above the Reykjanes peninsula overnight as Icelandic "
                "authorities evacuated Grindavik and closed the Blue Lagoon spa.")  # fmt: skip
        record = await quiet_world.publish(quiet_world.sites[0].id, title=title, paragraphs=(text,))

        def delivered() -> list[tuple[float, dict[str, str], bytes]]:
            return [d for d in callback.deliveries if title.encode() in d[2]]

        ((received_at, headers, body), *_) = await until(delivered, timeout=5)
        events = await node.rt.store.events_after(0, limit=10_000)
        # The article's story (new, or one it joined) as the view gains it.
        story = next(e for e in events if e.kind.startswith("story.") and title.encode() in e.data)
        assert story.created_at <= received_at  # sent as the view gained it

        expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Hub-Signature"] == f"sha256={expected}"
        assert headers["Link"] == f'<{node.url}/hub>; rel="hub", <{topic}>; rel="self"'
        assert headers["Content-Type"].startswith("application/atom+xml")
        (entry,) = [e for e in feedparser.parse(body).entries if e.title == title]
        assert any(link.href == record.url for link in entry.links)


async def test_our_feeds_advertise_the_hub(
    quiet_world: World, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    async with running(tmp_path, quiet_world.opml()) as node:
        for fmt in ("atom", "rss", "json"):
            topic = f"{node.url}/feeds/region-europe.{fmt}"
            async with http.get(topic) as r:
                assert r.status == 200
                assert r.headers["Link"] == f'<{node.url}/hub>; rel="hub", <{topic}>; rel="self"'
                body = await r.read()
            if fmt == "json":
                import orjson

                assert orjson.loads(body)["hubs"] == [{"type": "WebSub", "url": f"{node.url}/hub"}]
            else:
                assert f'rel="hub" href="{node.url}/hub"'.encode() in body


async def test_bad_requests_foreign_and_unknown_topics(
    quiet_world: World, tmp_path: Path, http: aiohttp.ClientSession, callback: Callback
) -> None:
    async with running(tmp_path, quiet_world.opml()) as node:
        topic = f"{node.url}/feeds/latest.atom"
        bad = [
            ("http://elsewhere.example/feeds/latest.atom", callback.url + "a", 600),
            (topic, "ftp://callback.example/x", 600),
            (topic, callback.url + "a", 0),
        ]
        for t, cb, lease in bad:
            status, _ = await subscribe(http, node, t, cb, lease=lease)
            assert status == 400
        async with http.post(f"{node.url}/hub", data={"hub.mode": "watch"}) as r:
            assert r.status == 400 and "hub.mode" in await r.text()
        unknown = f"{node.url}/feeds/region-atlantis.atom"
        assert (await subscribe(http, node, unknown, callback.url + "b"))[0] == 202
        await until(lambda: callback.verifications)
        (denial,) = callback.verifications
        assert denial == {"hub.mode": "denied", "hub.topic": unknown, "hub.reason": "unknown topic"}
        assert node.rt.websub.hub.subscriptions() == []


async def test_no_subscription_without_the_challenge_echoed(
    quiet_world: World, tmp_path: Path, http: aiohttp.ClientSession, callback: Callback
) -> None:
    callback.echo = False
    async with running(tmp_path, quiet_world.opml()) as node:
        topic = f"{node.url}/feeds/latest.json"
        assert (await subscribe(http, node, topic, callback.url + "a"))[0] == 202
        await until(lambda: callback.verifications)
        await asyncio.sleep(0.2)
        assert node.rt.websub.hub.subscriptions() == []


async def test_deliveries_retry_with_backoff(
    quiet_world: World, tmp_path: Path, http: aiohttp.ClientSession, callback: Callback
) -> None:
    callback.failures = 2
    async with running(tmp_path, quiet_world.opml()) as node:
        await with_stories(node)
        topic = f"{node.url}/feeds/latest.rss"
        await subscribe(http, node, topic, callback.url + "a")
        await until(lambda: node.rt.websub.hub.subscriptions(topic))
        await quiet_world.publish(quiet_world.sites[1].id)
        await until(lambda: callback.deliveries, timeout=8)
        tries = [*callback.refused, callback.deliveries[0][0]]
        # 1 s, then 2 s (each from the refusal, so never less; more only by round trips).
        assert 0.9 <= tries[1] - tries[0] < 2.5 and 1.9 <= tries[2] - tries[1] < 4.0


async def test_unsubscribed_or_expired_subscribers_get_nothing(
    quiet_world: World, tmp_path: Path, http: aiohttp.ClientSession, callback: Callback
) -> None:
    async with running(tmp_path, quiet_world.opml()) as node:
        await with_stories(node)
        hub = node.rt.websub.hub
        left, lapsed = f"{node.url}/feeds/latest.atom", f"{node.url}/feeds/latest.json"
        await subscribe(http, node, left, callback.url + "left")
        await subscribe(http, node, lapsed, callback.url + "lapsed", lease=3)
        await until(lambda: len(hub.subscriptions()) == 2)
        await subscribe(http, node, left, callback.url + "left", mode="unsubscribe")
        await until(lambda: [s.topic for s in hub.subscriptions()] == [lapsed])
        assert callback.verifications[-1]["hub.mode"] == "unsubscribe"
        await until(lambda: hub.subscriptions() == [], timeout=6)  # the other lease ends
        await quiet_world.publish(quiet_world.sites[0].id)
        await until(lambda: node.rt.store.find_article_by_url(quiet_world.truth[-1].url))
        await asyncio.sleep(1.0)
        assert callback.deliveries == []
        assert [s.topic for s in await node.rt.store.hub_subscriptions()] in ([], [lapsed])
