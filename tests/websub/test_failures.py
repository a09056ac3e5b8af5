"""What goes wrong, end to end against the simulated world's hub: bad, missing and
weak signatures, oversize bodies, unknown topics, denials, hub errors, expired
leases, and pushes that never came. None of them ever stops a source."""

from __future__ import annotations

import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from tests.conftest import StartServer
from tests.websub.conftest import Node, all_active, push_only, push_world, running, until
from worldwire.model import Source
from worldwire.sim import World
from worldwire.websub.state import ACTIVE, BROKEN, DENIED, EXPIRED, FAILED, PushState


async def push_of(node: Node, world: World, site: int = 0) -> tuple[Source, PushState]:
    source = await node.source(world.sites[site].feed_url)
    return source, node.push(source.id)


async def published_not_stored(node: Node, world: World, site: int = 0) -> str:
    """Publish on a site; the hub delivers; nothing may be stored."""
    record = await world.publish(world.sites[site].id)
    assert record.pushed
    await world.hub.wait_idle()
    assert await node.rt.store.find_article_by_url(record.url) is None
    return record.url


def deliveries(world: World, topic: str) -> list[int | None]:
    return [e.status for e in world.hub.events
            if e.topic == topic and e.kind in ("delivered", "delivery_failed")]  # fmt: skip


@pytest.mark.parametrize(
    ("signature", "problem"), [("invalid", "does not match"), ("none", "missing signature")]
)
async def test_bad_or_missing_signature_is_ignored_recorded_and_answered_2xx(
    world: World, tmp_path: Path, signature: str, problem: str
) -> None:
    async with running(tmp_path, world.opml()) as node:
        await until(lambda: push_only(node, world))
        topic = world.sites[0].feed_url
        world.hub.set_behaviour(topic, signature=signature)
        await published_not_stored(node, world)
        _, push = await push_of(node, world)
        assert deliveries(world, topic) == [202]  # the secret cannot be probed
        assert push.rejected == 1 and push.pushes == 0 and push.push_arrivals == 0
        assert problem in push.last_error
        assert push.state == ACTIVE  # one bad delivery does not end the subscription


@pytest.mark.parametrize(
    ("algorithm", "allowed"),
    [("sha1", False), ("sha1", True), ("sha384", False), ("sha512", False)],
)
async def test_signature_algorithms(
    world: World, tmp_path: Path, algorithm: str, allowed: bool
) -> None:
    async with running(tmp_path, world.opml(), websub_allow_sha1=allowed) as node:
        await until(lambda: push_only(node, world))
        world.hub.set_behaviour(world.sites[0].feed_url, algorithm=algorithm)
        record = await world.publish(world.sites[0].id)
        await world.hub.wait_idle()
        _, push = await push_of(node, world)
        if algorithm == "sha1" and not allowed:
            assert push.rejected == 1 and "sha1" in push.last_error
            assert await node.rt.store.find_article_by_url(record.url) is None
        else:
            await until(lambda: push.push_arrivals == 1)
            assert push.rejected == 0
            assert await node.rt.store.find_article_by_url(record.url) is not None


async def test_oversize_body_is_refused_and_recorded(world: World, tmp_path: Path) -> None:
    async with running(tmp_path, world.opml()) as node:
        await until(lambda: push_only(node, world))
        topic = world.sites[0].feed_url
        world.hub.set_behaviour(topic, oversize=4 * 1024 * 1024, retries=0)
        await published_not_stored(node, world)
        _, push = await push_of(node, world)
        assert push.rejected == 1 and "larger than" in push.last_error
        assert deliveries(world, topic) in ([413], [None])  # None: we hung up on the rest
        assert push.state == ACTIVE


async def test_a_push_just_under_the_cap_is_taken(world: World, tmp_path: Path) -> None:
    async with running(tmp_path, world.opml()) as node:
        await until(lambda: push_only(node, world))
        world.hub.set_behaviour(world.sites[0].feed_url, oversize=3 * 1024 * 1024 - 64)
        record = await world.publish(world.sites[0].id)
        await until(lambda: node.rt.store.find_article_by_url(record.url))


async def test_verification_that_matches_no_request_gets_404(
    world: World, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    async with running(tmp_path, world.opml()) as node:
        await until(lambda: all_active(node, world))
        _, push = await push_of(node, world)
        callback = f"{node.url}/websub/{push.token}"
        base = {"hub.topic": push.topic, "hub.challenge": "c" * 20, "hub.lease_seconds": "60"}
        cases = [
            (f"{node.url}/websub/{'x' * 32}", {**base, "hub.mode": "subscribe"}),  # no such token
            (callback, {**base, "hub.mode": "subscribe"}),  # nothing pending now
            (callback, {**base, "hub.mode": "unsubscribe"}),
            (callback, {**base, "hub.mode": "subscribe", "hub.topic": push.topic + "?x"}),
        ]
        for url, params in cases:
            async with http.get(url, params=params) as r:
                assert r.status == 404, params
        async with http.post(f"{node.url}/websub/{'x' * 32}", data=b"<rss/>") as r:
            assert r.status == 410  # Gone: a hub drops a subscription we do not hold
        assert push.state == ACTIVE and push.lease_seconds != 60


async def test_denial_is_recorded_and_the_source_is_polled_as_usual(
    tmp_path: Path,
) -> None:
    async with World(push_world(sites=2)) as world:
        denied = world.sites[0].feed_url
        world.hub.set_behaviour(denied, deny=True, deny_reason="no subscribers from you")
        async with running(tmp_path, world.opml()) as node:
            source = await node.source(denied)
            push = await until(lambda: node.subscriber.state_of(source.id))
            await until(lambda: push.state == DENIED)
            assert "no subscribers from you" in push.last_error
            assert not node.subscriber.healthy(source.id)
            await assert_polled_as_usual(node, denied)
            other, _ = await push_of(node, world, 1)
            # The other source is unaffected: its subscription goes through.
            await until(lambda: node.subscriber.healthy(other.id))


async def test_unknown_topic_is_denied_by_the_hub(
    world: World, tmp_path: Path, serve_app: StartServer
) -> None:
    """A feed that names the world's hub, which does not know it as a topic."""
    body = world.feed_bytes(0)

    async def feed(request: web.Request) -> web.Response:
        topic = str(request.url)
        link = f'<{world.hub.url}>; rel="hub", <{topic}>; rel="self"'
        return web.Response(body=body, content_type="application/rss+xml",
                            headers={"Link": link})  # fmt: skip

    app = web.Application()
    app.router.add_get("/feed.xml", feed)
    feed_url = await serve_app(app) + "/feed.xml"
    opml = world.opml().replace(world.sites[0].feed_url, feed_url)
    async with running(tmp_path, opml) as node:
        source = await node.source(feed_url)
        push = await until(lambda: node.subscriber.state_of(source.id))
        assert push.topic == feed_url
        await until(lambda: push.state == DENIED)
        assert "unknown topic" in push.last_error
        await assert_polled_as_usual(node, feed_url)


async def test_hub_errors_are_retried_with_backoff_and_recover(tmp_path: Path) -> None:
    async with World(push_world(sites=1)) as world:
        topic = world.sites[0].feed_url
        world.hub.set_behaviour(topic, subscribe_status=500)
        async with running(tmp_path, world.opml()) as node:
            source = await node.source(topic)
            push = await until(lambda: node.subscriber.state_of(source.id))
            await until(lambda: push.attempts >= 2, timeout=8)
            assert push.state == FAILED and "HTTP 500" in push.last_error
            # The backoff doubles: 0.5 s after the first failure, 1 s after the second
            # (planned from the failure, so the request round trips do not blur it).
            assert push.last_error_at is not None
            assert push.due_at - push.last_error_at == pytest.approx(1.0)
            await until(lambda: push.attempts >= 3, timeout=8)
            assert push.due_at - push.last_error_at == pytest.approx(2.0)
            assert len([e for e in world.hub.events if e.kind == "request"]) == 3
            await assert_polled_as_usual(node, topic)
            world.hub.set_behaviour(topic, subscribe_status=202)
            await until(lambda: push.state == ACTIVE, timeout=8)
            assert push.attempts == 0


async def test_expired_lease_returns_to_polling_and_resubscribes(tmp_path: Path) -> None:
    async with World(push_world(sites=1)) as world:
        topic = world.sites[0].feed_url
        world.hub.set_behaviour(topic, lease_cap=2)
        async with running(tmp_path, world.opml(), backoff_base=3.0, backoff_ceiling=3.0,
                           websub_backup_poll=600.0) as node:  # fmt: skip
            source = await node.source(topic)
            push = await until(lambda: node.subscriber.state_of(source.id))
            await until(lambda: push.state == ACTIVE)
            first_token = push.token
            world.hub.set_behaviour(topic, subscribe_status=503)  # renewals fail
            await until(lambda: push.state == EXPIRED, timeout=6)
            assert not node.subscriber.healthy(source.id)
            # The hub started its lease a moment after we did (once it had our answer).
            await until(lambda: not world.hub.subscriptions(topic))
            await assert_polled_as_usual(node, topic)
            world.hub.set_behaviour(topic, subscribe_status=202)
            await until(lambda: push.state == ACTIVE and push.token != first_token, timeout=8)


async def test_a_poll_finding_what_push_never_brought_breaks_push(tmp_path: Path) -> None:
    async with World(push_world(sites=1)) as world:
        topic = world.sites[0].feed_url
        async with running(tmp_path, world.opml(), websub_backup_poll=1.0,
                           websub_grace=0.5) as node:  # fmt: skip
            source = await node.source(topic)
            push = await until(lambda: node.subscriber.state_of(source.id))
            await until(lambda: push.state == ACTIVE)
            first_token = push.token
            await until(lambda: _polled_since(node, topic, push.active_since or 0))
            # The hub loses our secret: its deliveries no longer count.
            world.hub.set_behaviour(topic, signature="invalid")
            missed = await published_not_stored(node, world)
            await until(lambda: push.state in (BROKEN, "subscribing") or push.token != first_token,
                        timeout=6)  # fmt: skip
            assert "missed 1 item" in push.last_error
            assert await node.rt.store.find_article_by_url(missed) is not None  # the poll had it
            assert push.poll_arrivals >= 1
            # Resubscribed afresh: a new callback and secret.
            await until(lambda: push.state == ACTIVE and push.token != first_token, timeout=6)
            world.hub.set_behaviour(topic, signature="valid")
            record = await world.publish(world.sites[0].id)
            await until(lambda: node.rt.store.find_article_by_url(record.url))
            await until(lambda: push.pushes >= 1)  # a delivery verified and taken


async def _polled_since(node: Node, feed_url: str, since: float) -> bool:
    return ((await node.source(feed_url)).last_fetch_at or 0) > since


async def assert_polled_as_usual(node: Node, feed_url: str) -> None:
    """The source keeps being polled at its normal pace (FAST: at most 1 s apart)."""
    first = (await node.source(feed_url)).last_fetch_at or 0.0
    await until(lambda: _polled_since(node, feed_url, first), timeout=4)
    source = await node.source(feed_url)
    assert source.enabled and source.next_check_at - time.time() < 2.0
