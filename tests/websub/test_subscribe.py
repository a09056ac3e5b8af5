"""Subscribing end to end against the simulated world's hub: discovery, intent
verification, signed delivery straight into the store, renewal, unsubscription."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.websub.conftest import all_active, push_only, running, until
from worldwire.model import Source
from worldwire.sim import World
from worldwire.websub.state import ACTIVE
from worldwire.websub.subscriber import LEASE_REQUEST, RENEW_AT


async def test_subscribe_verify_and_deliver(world: World, tmp_path: Path) -> None:
    async with running(tmp_path, world.opml()) as node:
        await until(lambda: push_only(node, world))
        site = world.sites[0]
        source = await node.source(site.feed_url)
        push = node.push(source.id)
        (sub,) = world.hub.subscriptions(site.feed_url)
        assert sub.callback == f"{node.url}/websub/{push.token}"
        assert len(push.token) >= 32 and sub.secret == push.secret.encode()
        assert len(bytes.fromhex(push.secret)) == 32
        assert sub.lease_seconds == LEASE_REQUEST
        assert push.lease_expires_at is not None
        assert push.lease_expires_at - time.time() > 0.99 * LEASE_REQUEST
        secrets = {node.push(s.id).secret for s in await node.sources()}
        assert len(secrets) == len(world.sites)  # a fresh secret per subscription

        record = await world.publish(site.id)
        assert record.pushed
        article = await until(lambda: node.rt.store.find_article_by_url(record.url))
        assert article.source_id == source.id
        assert article.seen_at >= record.published
        # The counters move once the store has the delivery, a moment after readers can see it.
        await until(lambda: push.pushes == 1)
        assert push.push_arrivals == 1 and push.rejected == 0
        assert push.last_push_at is not None


async def test_polls_become_a_rare_backup_while_push_is_healthy(
    world: World, tmp_path: Path
) -> None:
    async with running(tmp_path, world.opml(), websub_backup_poll=600.0) as node:
        await until(lambda: all_active(node, world))
        feed_url = world.sites[1].feed_url

        async def backup_planned() -> Source | None:
            # The first poll after the subscription plans the backup interval.
            source = await node.source(feed_url)
            return source if source.next_check_at - time.time() > 500 else None

        source = await until(backup_planned, timeout=15)
        assert node.subscriber.healthy(source.id)


async def test_renews_at_80_percent_of_the_granted_lease(world: World, tmp_path: Path) -> None:
    world.hub.set_behaviour(None, lease_cap=5)
    async with running(tmp_path, world.opml()) as node:
        await until(lambda: all_active(node, world))
        site = world.sites[0]
        push = node.push((await node.source(site.feed_url)).id)
        token, first_expiry = push.token, push.lease_expires_at
        assert push.lease_seconds == 5
        assert first_expiry is not None
        # Planned at 80% of the lease granted, counted from our answer to the hub.
        assert push.due_at == pytest.approx(first_expiry - 5 + RENEW_AT * 5)
        (sub,) = world.hub.subscriptions(site.feed_url)
        hub_expiry = sub.expires

        def renewed() -> bool:
            verified = [e for e in world.hub.events
                        if e.kind == "verified" and e.topic == site.feed_url]  # fmt: skip
            return len(verified) >= 2

        await until(renewed, timeout=10)
        verified = [
            e for e in world.hub.events if e.kind == "verified" and e.topic == site.feed_url
        ]
        # Renewed once most of the lease had passed (as the hub's clock sees it, a
        # moment after ours), before it ran out.
        assert verified[1].at - verified[0].at >= 3.5
        assert verified[1].at < hub_expiry
        await until(lambda: (push.lease_expires_at or 0) > first_expiry)
        assert push.token == token and push.state == ACTIVE  # the same subscription
        (sub,) = world.hub.subscriptions(site.feed_url)
        assert sub.callback.endswith(token)


async def test_unsubscribes_when_the_source_is_removed(world: World, tmp_path: Path) -> None:
    async with running(tmp_path, world.opml()) as node:
        await until(lambda: all_active(node, world))
        site = world.sites[2]
        source = await node.source(site.feed_url)
        assert world.hub.subscriptions(site.feed_url)
        assert await node.rt.store.remove_source(source.id)
        await until(lambda: not world.hub.subscriptions(site.feed_url), timeout=8)
        unsubscribed = [e for e in world.hub.events
                        if e.kind == "verified" and e.detail == "unsubscribe"]  # fmt: skip
        assert [e.topic for e in unsubscribed] == [site.feed_url]
        await until(lambda: node.subscriber.state_of(source.id) is None)

        async def row_deleted() -> bool:  # in the background, once the hub has its answer
            return source.id not in {p.source_id for p in await node.rt.store.push_states()}

        await until(row_deleted)
        # The other sources keep their subscriptions.
        assert all(world.hub.subscriptions(s.feed_url) for s in world.sites[:2])
