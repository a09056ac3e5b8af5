"""WorldWire's own WebSub hub, for its output feeds (`/feeds/{view}.atom|.rss|.json`).

Subscribers POST the usual form to `/hub`; after a 202 the hub verifies intent with
a GET carrying `hub.challenge`, and only then holds the subscription, for the lease
it grants. When events commit (the bus says so), each subscribed feed is rendered
again; a feed whose content changed goes to its subscribers at once, signed with
their `hub.secret` (`X-Hub-Signature: sha256=…`). Each subscriber has at most one
delivery pending, the newest (a feed is whole, so a newer one replaces an older one),
retried with backoff; nothing is sent once a lease has ended.

The hub does not know how feeds are made: the web layer hands it `render`, which
answers what a GET of the topic URL would."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from yarl import URL

from worldwire.bus import EventBus
from worldwire.errors import FetchError, HTTPStatusError, StoreError
from worldwire.fetch import Fetcher
from worldwire.websub.signature import sign
from worldwire.websub.state import HubSubscription

log = logging.getLogger("worldwire.websub.hub")

DEFAULT_LEASE = 10 * 86400
MAX_LEASE = 30 * 86400
MAX_SUBSCRIPTIONS = 10_000
ATTEMPTS = 6  # one delivery and five retries, 1, 2, 4, 8 and 16 s apart
COALESCE = 0.05  # seconds: a story and its articles commit a moment apart
EXPIRY_CHECK = 30.0
ANSWER_MAX = 65536
STORY_EVENTS = frozenset({"story.new", "story.updated", "story.removed"})


@dataclass(frozen=True, slots=True)
class Content:
    body: bytes
    content_type: str


Render = Callable[[str], Awaitable[Content | None]]


class HubStore(Protocol):
    async def hub_subscriptions(self) -> list[HubSubscription]: ...
    async def save_hub_subscription(self, sub: HubSubscription) -> None: ...
    async def delete_hub_subscription(self, topic: str, callback: str) -> None: ...


def hub_url(topic: str) -> str:
    """Our hub, for a topic of ours: the same site, at /hub."""
    return topic.split("/feeds/", 1)[0] + "/hub"


def invalid_request(form: Mapping[str, str]) -> str:
    """Why a subscription request is malformed (WebSub §5.1), or ""."""
    mode, topic, callback = (form.get(k, "") for k in ("hub.mode", "hub.topic", "hub.callback"))
    lease = form.get("hub.lease_seconds", "")
    if mode not in ("subscribe", "unsubscribe"):
        return "hub.mode must be subscribe or unsubscribe"
    if not topic:
        return "hub.topic is required"
    parts = urlsplit(callback)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "hub.callback must be an absolute http(s) URL"
    if len(form.get("hub.secret", "").encode()) >= 200:
        return "hub.secret must be shorter than 200 bytes"
    if lease and (not lease.isdigit() or int(lease) == 0):
        return "hub.lease_seconds must be a positive integer"
    return ""


class OutputHub:
    def __init__(self, store: HubStore, fetcher: Fetcher, bus: EventBus) -> None:
        self.store = store
        self.fetcher = fetcher
        self.bus = bus
        self._render: Render | None = None
        self._subs: dict[tuple[str, str], HubSubscription] = {}
        self._digests: dict[str, bytes] = {}  # topic -> what its subscribers last got
        self._outbox: dict[tuple[str, str], Content] = {}
        self._senders: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.deliveries = 0  # successful, for metrics and tests

    def bind(self, render: Render) -> None:
        self._render = render

    async def start(self) -> None:
        now = time.time()
        for sub in await self.store.hub_subscriptions():
            if sub.expires_at > now:
                self._subs[sub.topic, sub.callback] = sub

    def subscriptions(self, topic: str | None = None) -> list[HubSubscription]:
        now = time.time()
        return [
            s
            for s in self._subs.values()
            if s.expires_at > now and (topic is None or s.topic == topic)
        ]

    # -- requests -------------------------------------------------------------------

    async def request(self, form: Mapping[str, str], base_url: str) -> tuple[int, str]:
        """A (un)subscription request: (status, message). 202 means intent
        verification follows; the request is only honoured once it succeeds."""
        problem = invalid_request(form)
        if problem:
            return 400, problem
        mode, topic, callback = form["hub.mode"], form["hub.topic"], form["hub.callback"]
        if not topic.startswith(base_url.rstrip("/") + "/feeds/"):
            return 400, f"hub.topic must be a feed of this WorldWire ({base_url}/feeds/…)"
        if (
            mode == "subscribe"
            and (topic, callback) not in self._subs
            and len(self._subs) >= MAX_SUBSCRIPTIONS
        ):
            return 503, "this hub has as many subscriptions as it can serve"
        lease = form.get("hub.lease_seconds", "")
        asked = int(lease) if lease else DEFAULT_LEASE
        self._spawn(
            self._verify(mode, topic, callback, form.get("hub.secret", ""), min(asked, MAX_LEASE))
        )
        return 202, "accepted; intent verification follows"

    async def _verify(self, mode: str, topic: str, callback: str, secret: str, lease: int) -> None:
        key = (topic, callback)
        content = await self._rendered(topic) if mode == "subscribe" else None
        if mode == "subscribe" and content is None:
            params = {"hub.mode": "denied", "hub.topic": topic, "hub.reason": "unknown topic"}
            await self._ask(callback, params)
            return
        challenge = secrets.token_urlsafe(24)
        params = {"hub.mode": mode, "hub.topic": topic, "hub.challenge": challenge}
        if mode == "subscribe":
            params["hub.lease_seconds"] = str(lease)
        answer = await self._ask(callback, params)
        if answer is None or answer.strip() != challenge:
            log.info("intent not verified", extra={"topic": topic, "callback": callback})
            return
        if mode == "unsubscribe":
            self._drop(key)
            await self.store.delete_hub_subscription(topic, callback)
            return
        now = time.time()
        sub = HubSubscription(topic, callback, secret, lease, now + lease, now)
        self._subs[key] = sub
        if content is not None:
            # The subscriber has what the feed says now: only a change is sent.
            self._digests.setdefault(topic, _digest(content))
        await self.store.save_hub_subscription(sub)
        log.info("hub subscription", extra={"topic": topic, "callback": callback, "lease_s": lease})

    async def _ask(self, callback: str, params: dict[str, str]) -> str | None:
        """A verification GET to the callback (its own query kept); the body, or None."""
        url = str(URL(callback).extend_query(params))
        try:
            result = await self.fetcher.get(url, accept="text/plain, */*", max_bytes=ANSWER_MAX)
        except FetchError as exc:
            log.info("verification failed: %s", exc, extra={"callback": callback})
            return None
        return result.body.decode("utf-8", "replace") if result.status < 300 else None

    # -- distribution -----------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Distribute changed feeds after each batch of story events, until stopped."""
        seen = self.bus.last_id
        expired_at = 0.0
        stopped = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                changed = asyncio.ensure_future(self.bus.wait_after(seen))
                await asyncio.wait(
                    [changed, stopped], timeout=EXPIRY_CHECK, return_when=asyncio.FIRST_COMPLETED
                )
                changed.cancel()
                now = time.time()
                if now - expired_at >= EXPIRY_CHECK:
                    expired_at = now
                    try:
                        await self._expire(now)
                    except StoreError as exc:
                        log.error("cannot drop expired subscriptions: %s", exc)
                if self.bus.last_id <= seen or stop.is_set():
                    continue
                await asyncio.sleep(COALESCE)
                events = self.bus.recent_after(seen)
                seen = self.bus.last_id
                if self._subs and (events is None or any(e.kind in STORY_EVENTS for e in events)):
                    try:
                        await self.distribute()
                    except Exception:  # a bug must not stop distribution for good
                        log.exception("distribution crashed")
        finally:
            stopped.cancel()
            for task in [*self._tasks, *self._senders.values()]:
                task.cancel()
            await asyncio.gather(*self._tasks, *self._senders.values(), return_exceptions=True)

    async def distribute(self) -> None:
        """Render each subscribed feed; send those that changed to their subscribers."""
        for topic in sorted({topic for topic, _ in self._subs}):
            content = await self._rendered(topic)
            if content is None:
                continue
            digest = _digest(content)
            if self._digests.get(topic) == digest:
                continue
            self._digests[topic] = digest
            for sub in self.subscriptions(topic):
                key = (sub.topic, sub.callback)
                self._outbox[key] = content
                if key not in self._senders:
                    self._senders[key] = asyncio.create_task(self._send(key))

    async def _send(self, key: tuple[str, str]) -> None:
        try:
            while (content := self._outbox.pop(key, None)) is not None:
                delay = 1.0
                for attempt in range(ATTEMPTS):
                    sub = self._subs.get(key)
                    if sub is None or sub.expires_at <= time.time():
                        return  # the lease ended: nothing more is owed
                    status = await self._post(sub, content)
                    if status is not None and 200 <= status < 300:
                        self.deliveries += 1
                        break
                    if status == 410:  # Gone: the subscriber wants no more
                        self._drop(key)
                        await self.store.delete_hub_subscription(*key)
                        return
                    if key in self._outbox or attempt == ATTEMPTS - 1:
                        break  # a newer feed replaces this one, or we gave up on it
                    await asyncio.sleep(delay)
                    delay *= 2
        finally:
            self._senders.pop(key, None)

    async def _post(self, sub: HubSubscription, content: Content) -> int | None:
        headers = {
            "Content-Type": content.content_type,
            "Link": f'<{hub_url(sub.topic)}>; rel="hub", <{sub.topic}>; rel="self"',
        }
        if sub.secret:
            headers["X-Hub-Signature"] = sign(sub.secret, content.body, "sha256")
        try:
            result = await self.fetcher.request(
                "POST",
                sub.callback,
                headers=headers,
                data=content.body,
                max_bytes=ANSWER_MAX,
                follow=False,
            )
        except HTTPStatusError as exc:
            log.info("delivery refused: %s", exc, extra={"callback": sub.callback})
            return exc.status
        except FetchError as exc:
            log.info("delivery failed: %s", exc, extra={"callback": sub.callback})
            return None
        return result.status

    # -- bookkeeping -------------------------------------------------------------------

    async def _rendered(self, topic: str) -> Content | None:
        return None if self._render is None else await self._render(topic)

    async def _expire(self, now: float) -> None:
        for key, sub in list(self._subs.items()):
            if sub.expires_at <= now:
                self._drop(key)
                await self.store.delete_hub_subscription(*key)

    def _drop(self, key: tuple[str, str]) -> None:
        self._subs.pop(key, None)
        self._outbox.pop(key, None)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        async def guarded() -> None:
            try:
                await work
            except Exception:  # a bug must not stop the hub
                log.exception("hub request crashed")

        task = asyncio.create_task(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _digest(content: Content) -> bytes:
    return hashlib.blake2b(content.body, digest_size=16).digest()
