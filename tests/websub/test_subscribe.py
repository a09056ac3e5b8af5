"""Subscribing end to end against the simulated world's hub: discovery, intent
verification, signed delivery straight into the store, renewal, unsubscription."""

from __future__ import annotations

import time
from pathlib import Path

from tests.websub.conftest import Node, running, until
from worldwire.sim import World
from worldwire.websub.state import ACTIVE
from worldwire.websub.subscriber import LEASE_REQUEST


async def all_active(node: Node) -> bool:
    sources = await node.sources()
    states = [node.subscriber.state_of(s.id) for s in sources]
    return bool(sources) and all(s is not None and s.state == ACTIVE for s in states)


async def test_subscribe_verify_and_deliver(world: World, tmp_path: Path) -> None:
    async with running(tmp_path, world.opml()) as node:
        await until(lambda: all_active(node))
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
        assert article.seen_at - record.published < 1.0
        assert push.push_arrivals == 1 and push.pushes == 1 and push.rejected == 0
        assert push.last_push_at is not None
