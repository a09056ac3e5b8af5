"""The world's WebSub hub: intent verification, leases, signed distribution, and the
knobs a subscriber's tests need. The subscriber here is a real aiohttp server."""

from __future__ import annotations

import asyncio
import hashlib
import hmac

import aiohttp
import feedparser
import orjson
import pytest

from tests.sim.conftest import Callback
from worldwire.sim import World
from worldwire.sim.sites import Site

SECRET = "s3cret-for-tests"


def push_site(world: World) -> Site:
    return next(s for s in world.sites if s.push and s.kind != "jsonfeed")


async def subscribe(
    http: aiohttp.ClientSession,
    world: World,
    topic: str,
    callback: str,
    *,
    mode: str = "subscribe",
    secret: str | None = SECRET,
    lease: int | None = None,
) -> int:
    form = {"hub.mode": mode, "hub.topic": topic, "hub.callback": callback}
    if secret is not None:
        form["hub.secret"] = secret
    if lease is not None:
        form["hub.lease_seconds"] = str(lease)
    async with http.post(world.hub.url, data=form) as r:
        status = r.status
    await world.hub.wait_idle()
    return status


def signature(body: bytes, algorithm: str = "sha256", secret: str = SECRET) -> str:
    digest = hmac.new(secret.encode(), body, getattr(hashlib, algorithm)).hexdigest()
    return f"{algorithm}={digest}"


async def test_subscribe_verify_and_deliver_signed(
    world: World, http: aiohttp.ClientSession, callback: Callback
) -> None:
    site = push_site(world)
    assert await subscribe(http, world, site.feed_url, callback.url + "a", lease=3600) == 202
    (check,) = callback.verifications
    assert check["hub.mode"] == "subscribe" and check["hub.topic"] == site.feed_url
    assert check["hub.lease_seconds"] == "3600" and len(check["hub.challenge"]) >= 16
    (sub,) = world.hub.subscriptions(site.feed_url)
    assert sub.lease_seconds == 3600 and sub.secret == SECRET.encode()

    record = await world.publish(site.id)
    assert record.pushed
    await callback.wait(lambda: len(callback.deliveries) == 1)
    headers, body = callback.deliveries[0]
    assert headers["X-Hub-Signature"] == signature(body)
    assert headers["Link"] == f'<{world.hub.url}>; rel="hub", <{site.feed_url}>; rel="self"'
    assert headers["Content-Type"].split(";")[0] in ("application/rss+xml",
                                                     "application/atom+xml",
                                                     "application/rdf+xml")  # fmt: skip
    assert body == world.feed_bytes(site.id)
    assert feedparser.parse(body).entries[0].link == record.url


@pytest.mark.parametrize("algorithm", ["sha1", "sha384", "sha512"])
async def test_signature_algorithm_is_configurable(
    world: World, http: aiohttp.ClientSession, callback: Callback, algorithm: str
) -> None:
    site = push_site(world)
    world.hub.set_behaviour(site.feed_url, algorithm=algorithm)
    await subscribe(http, world, site.feed_url, callback.url + "b")
    await world.publish(site.id)
    await callback.wait(lambda: bool(callback.deliveries))
    headers, body = callback.deliveries[0]
    assert headers["X-Hub-Signature"] == signature(body, algorithm)


async def test_bad_and_missing_signatures(
    world: World, http: aiohttp.ClientSession, callback: Callback
) -> None:
    site = push_site(world)
    await subscribe(http, world, site.feed_url, callback.url + "c")
    world.hub.set_behaviour(signature="invalid")
    await world.publish(site.id)
    world.hub.set_behaviour(signature="none")
    await world.publish(site.id)
    await callback.wait(lambda: len(callback.deliveries) == 2)
    (bad_headers, bad_body), (none_headers, _) = callback.deliveries
    assert bad_headers["X-Hub-Signature"].startswith("sha256=")
    assert bad_headers["X-Hub-Signature"] != signature(bad_body)
    assert "X-Hub-Signature" not in none_headers


async def test_no_secret_means_no_signature(
    world: World, http: aiohttp.ClientSession, callback: Callback
) -> None:
    site = push_site(world)
    await subscribe(http, world, site.feed_url, callback.url + "d", secret=None)
    await world.publish(site.id)
    await callback.wait(lambda: bool(callback.deliveries))
    assert "X-Hub-Signature" not in callback.deliveries[0][0]


async def test_denial_and_unknown_topic(
    world: World, http: aiohttp.ClientSession, callback: Callback
) -> None:
    site = push_site(world)
    quiet = next(s for s in world.sites if not s.push)
    world.hub.set_behaviour(site.feed_url, deny=True)
    assert await subscribe(http, world, site.feed_url, callback.url + "e") == 202
    assert await subscribe(http, world, quiet.feed_url, callback.url + "f") == 202
    denied = [v for v in callback.verifications if v["hub.mode"] == "denied"]
    assert {v["hub.topic"] for v in denied} == {site.feed_url, quiet.feed_url}
    assert all(v["hub.reason"] for v in denied)
    assert world.hub.subscriptions() == []
    assert not (await world.publish(site.id)).pushed


async def test_short_lease_expires(
    world: World, http: aiohttp.ClientSession, callback: Callback
) -> None:
    site = push_site(world)
    world.hub.set_behaviour(lease_cap=1)
    await subscribe(http, world, site.feed_url, callback.url + "g", lease=864000)
    assert callback.verifications[0]["hub.lease_seconds"] == "1"
    assert world.hub.subscriptions(site.feed_url)
    await asyncio.sleep(1.2)
    assert not (await world.publish(site.id)).pushed
    assert world.hub.subscriptions() == []
    assert any(e.kind == "expired" for e in world.hub.events)
    assert callback.deliveries == []


async def test_hub_errors_on_subscribe(
    world: World, http: aiohttp.ClientSession, callback: Callback
) -> None:
    site = push_site(world)
    world.hub.set_behaviour(subscribe_status=500)
    assert await subscribe(http, world, site.feed_url, callback.url + "h") == 500
    assert callback.verifications == [] and world.hub.subscriptions() == []


async def test_bad_requests_are_refused(world: World, http: aiohttp.ClientSession) -> None:
    site = push_site(world)
    for form in (
        {"hub.mode": "subscribe", "hub.callback": "http://127.0.0.1:9/x"},
        {"hub.mode": "subscribe", "hub.topic": site.feed_url, "hub.callback": "ftp://x/"},
        {"hub.mode": "watch", "hub.topic": site.feed_url, "hub.callback": "http://x/"},
    ):
        async with http.post(world.hub.url, data=form) as r:
            assert r.status == 400


async def test_callback_that_does_not_echo_is_not_subscribed(
    world: World, http: aiohttp.ClientSession, callback: Callback
) -> None:
    callback.echo = False
    site = push_site(world)
    await subscribe(http, world, site.feed_url, callback.url + "i")
    assert callback.verifications and world.hub.subscriptions() == []
    assert world.hub.events[-1].kind == "verify_failed"


async def test_oversize_body_is_still_signed(
    world: World, http: aiohttp.ClientSession, callback: Callback
) -> None:
    site = push_site(world)
    world.hub.set_behaviour(oversize=4 * 1024 * 1024)
    await subscribe(http, world, site.feed_url, callback.url + "j")
    await world.publish(site.id)
    await callback.wait(lambda: bool(callback.deliveries))
    headers, body = callback.deliveries[0]
    assert len(body) >= 4 * 1024 * 1024
    assert headers["Content-Length"] == str(len(body))  # not chunked: size caps can act early
    assert headers["X-Hub-Signature"] == signature(body)
    assert body.rstrip() == world.feed_bytes(site.id).rstrip()


async def test_new_entries_only_and_renewal(
    world: World, http: aiohttp.ClientSession, callback: Callback
) -> None:
    site = next(s for s in world.sites if s.push and s.kind == "jsonfeed")
    world.hub.set_behaviour(site.feed_url, content="new")
    await subscribe(http, world, site.feed_url, callback.url + "k", secret="first")
    await subscribe(http, world, site.feed_url, callback.url + "k")  # renewal, new secret
    assert len(world.hub.subscriptions(site.feed_url)) == 1
    record = await world.publish(site.id)
    await callback.wait(lambda: bool(callback.deliveries))
    headers, body = callback.deliveries[0]
    assert headers["X-Hub-Signature"] == signature(body)
    assert [item["url"] for item in orjson.loads(body)["items"]] == [record.url]


async def test_unsubscribe_is_verified(
    world: World, http: aiohttp.ClientSession, callback: Callback
) -> None:
    site = push_site(world)
    await subscribe(http, world, site.feed_url, callback.url + "l")
    assert (
        await subscribe(http, world, site.feed_url, callback.url + "l", mode="unsubscribe") == 202
    )
    assert [v["hub.mode"] for v in callback.verifications] == ["subscribe", "unsubscribe"]
    assert "hub.lease_seconds" not in callback.verifications[1]
    assert world.hub.subscriptions() == []
    assert not (await world.publish(site.id)).pushed
