"""The world's WebSub hub (W3C WebSub Recommendation), on its own port.

Subscribers POST a form (hub.mode, hub.topic, hub.callback, hub.secret,
hub.lease_seconds); the hub answers 202, then verifies intent with a GET to the
callback carrying hub.challenge, which must come back verbatim. Verified
subscriptions hold a lease. When a site publishes, the hub POSTs the feed to
every live callback, signed with `X-Hub-Signature: <alg>=<hmac of the body>`.

`HubBehaviour` holds the knobs a subscriber's tests need (deny, short leases,
failing subscribe requests, bad or missing signatures, oversize bodies...), for
the whole hub or per topic (`Hub.set_behaviour`). Leases are real seconds.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import io
import secrets
import socket
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from yarl import URL

ALGORITHMS = ("sha1", "sha256", "sha384", "sha512")


@dataclass(frozen=True)
class HubBehaviour:
    deny: bool = False  # deny subscriptions: GET hub.mode=denied to the callback
    deny_reason: str = "subscriptions to this topic are not allowed"
    default_lease: int = 10 * 86400  # granted when the subscriber asks for none
    lease_cap: int | None = None  # the longest lease granted (e.g. 2 for a lease that dies fast)
    subscribe_status: int = 202  # any other status: answer (un)subscribe requests so, do nothing
    verify_unsubscribe: bool = True
    signature: str = "valid"  # valid, invalid (wrong key) or none (header left out)
    algorithm: str = "sha256"  # sha1, sha256, sha384 or sha512
    oversize: int = 0  # pad each pushed body with whitespace to at least this many bytes
    content: str = "feed"  # feed: the whole feed; new: a feed of the new entries only
    retries: int = 2  # further attempts after a failed delivery, 1 s apart then doubling
    timeout: float = 5.0  # real seconds, for verification and delivery requests

    def __post_init__(self) -> None:
        if self.algorithm not in ALGORITHMS:
            raise ValueError(f"algorithm must be one of {', '.join(ALGORITHMS)}")
        if self.signature not in ("valid", "invalid", "none"):
            raise ValueError("signature must be valid, invalid or none")
        if self.content not in ("feed", "new"):
            raise ValueError("content must be feed or new")


@dataclass(frozen=True, slots=True)
class Subscription:
    topic: str
    callback: str
    secret: bytes | None
    lease_seconds: int
    expires: float  # real epoch


@dataclass(frozen=True, slots=True)
class HubEvent:
    """One thing the hub did, for tests to inspect: kind is request, verified,
    verify_failed, denied, delivered, delivery_failed or expired."""

    kind: str
    topic: str
    callback: str
    at: float
    status: int | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Content:
    """What a topic offers the hub at a publish: the feed, and a feed of the new entries."""

    feed: bytes
    new: bytes
    content_type: str


class Hub:
    def __init__(self, known_topic: Callable[[str], bool]) -> None:
        self.behaviour = HubBehaviour()
        self.events: deque[HubEvent] = deque(maxlen=100_000)
        self.url = ""
        self._known_topic = known_topic
        self._per_topic: dict[str, HubBehaviour] = {}
        self._subs: dict[str, dict[str, Subscription]] = {}  # topic -> callback -> sub
        self._tasks: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None

    # --- knobs and state ---

    def set_behaviour(self, topic: str | None = None, **changes: Any) -> HubBehaviour:
        """Change the behaviour of the whole hub (topic None) or of one topic."""
        if topic is None:
            self.behaviour = dataclasses.replace(self.behaviour, **changes)
            return self.behaviour
        base = self._per_topic.get(topic, self.behaviour)
        self._per_topic[topic] = dataclasses.replace(base, **changes)
        return self._per_topic[topic]

    def behaviour_for(self, topic: str) -> HubBehaviour:
        return self._per_topic.get(topic, self.behaviour)

    def subscriptions(self, topic: str | None = None) -> list[Subscription]:
        """Live (verified, unexpired) subscriptions."""
        topics = list(self._subs) if topic is None else [topic]
        now = time.time()
        live = []
        for t in topics:
            subs = self._subs.get(t, {})
            for callback, sub in list(subs.items()):
                if sub.expires <= now:
                    del subs[callback]
                    self._log("expired", t, callback, None, "lease ended")
                else:
                    live.append(sub)
        return live

    def has_subscribers(self, topic: str) -> bool:
        return bool(self.subscriptions(topic))

    # --- lifecycle ---

    async def start(self, sock: socket.socket) -> None:
        host, port = sock.getsockname()[:2]
        self.url = f"http://{host}:{port}/"
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=200), timeout=aiohttp.ClientTimeout(total=30)
        )
        app = web.Application()
        app.router.add_get("/", self._info)
        app.router.add_post("/", self._subscribe_request)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    # --- publishing ---

    def publish(self, topic: str, content: Content) -> int:
        """Push `content` to every live subscriber of `topic` now; returns how many."""
        subs = self.subscriptions(topic)
        behaviour = self.behaviour_for(topic)  # as it is now, not when the task runs
        for sub in subs:
            self._spawn(self._deliver(sub, content, behaviour))
        return len(subs)

    async def wait_idle(self) -> None:
        """Wait until every pending verification and delivery is done (tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # --- HTTP side ---

    async def _info(self, request: web.Request) -> web.Response:
        return web.Response(
            text="WorldWire simulated world: WebSub hub. POST hub.mode=subscribe.\n"
        )

    async def _subscribe_request(self, request: web.Request) -> web.Response:
        form = await request.post()
        mode, topic, callback = (
            str(form.get(k, "")) for k in ("hub.mode", "hub.topic", "hub.callback")
        )
        secret = str(form.get("hub.secret", "")).encode() or None
        lease = str(form.get("hub.lease_seconds", ""))
        problem = _invalid(mode, topic, callback, secret, lease)
        if problem:
            return web.Response(status=400, text=problem + "\n")
        behaviour = self.behaviour_for(topic)
        self._log("request", topic, callback, behaviour.subscribe_status, mode)
        if behaviour.subscribe_status != 202:
            return web.Response(status=behaviour.subscribe_status, text="hub refuses for now\n")
        self._spawn(self._verify(mode, topic, callback, secret, int(lease) if lease else None))
        return web.Response(status=202, text="accepted; intent verification follows\n")

    async def _verify(
        self, mode: str, topic: str, callback: str, secret: bytes | None, asked: int | None
    ) -> None:
        behaviour = self.behaviour_for(topic)
        if mode == "subscribe" and (behaviour.deny or not self._known_topic(topic)):
            reason = behaviour.deny_reason if behaviour.deny else "unknown topic"
            params = {"hub.mode": "denied", "hub.topic": topic, "hub.reason": reason}
            status, _ = await self._get(callback, params, behaviour.timeout)
            self._log("denied", topic, callback, status, reason)
            return
        if mode == "unsubscribe" and not behaviour.verify_unsubscribe:
            self._subs.get(topic, {}).pop(callback, None)
            return
        challenge = secrets.token_urlsafe(24)
        params = {"hub.mode": mode, "hub.topic": topic, "hub.challenge": challenge}
        lease = min(asked or behaviour.default_lease, behaviour.lease_cap or 1 << 31)
        if mode == "subscribe":
            params["hub.lease_seconds"] = str(lease)
        status, body = await self._get(callback, params, behaviour.timeout)
        if status is None or not 200 <= status < 300 or body != challenge:
            self._log("verify_failed", topic, callback, status, mode)
            return
        if mode == "subscribe":
            sub = Subscription(topic, callback, secret, lease, time.time() + lease)
            self._subs.setdefault(topic, {})[callback] = sub
        else:
            self._subs.get(topic, {}).pop(callback, None)
        self._log("verified", topic, callback, status, mode)

    async def _get(
        self, callback: str, params: dict[str, str], seconds: float
    ) -> tuple[int | None, str]:
        assert self._session is not None
        try:
            url = URL(callback).extend_query(params)
            async with self._session.get(url, timeout=aiohttp.ClientTimeout(total=seconds)) as r:
                return r.status, (await r.text()).strip()
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            return None, repr(exc)

    async def _deliver(self, sub: Subscription, content: Content, behaviour: HubBehaviour) -> None:
        assert self._session is not None
        body = content.new if behaviour.content == "new" else content.feed
        if len(body) < behaviour.oversize:
            body += b" " * (behaviour.oversize - len(body))  # trailing space keeps XML/JSON valid
        headers = {
            "Content-Type": content.content_type,
            "Link": f'<{self.url}>; rel="hub", <{sub.topic}>; rel="self"',
        }
        if sub.secret is not None and behaviour.signature != "none":
            key = sub.secret if behaviour.signature == "valid" else sub.secret + b"-wrong"
            digest = hmac.new(key, body, getattr(hashlib, behaviour.algorithm)).hexdigest()
            headers["X-Hub-Signature"] = f"{behaviour.algorithm}={digest}"
        delay = 1.0
        for attempt in range(behaviour.retries + 1):
            status, detail = await self._post(sub.callback, body, headers, behaviour.timeout)
            if status is not None and 200 <= status < 300:
                self._log("delivered", sub.topic, sub.callback, status, f"{len(body)} bytes")
                return
            self._log("delivery_failed", sub.topic, sub.callback, status, detail)
            if attempt < behaviour.retries:
                await asyncio.sleep(delay)
                delay *= 2

    async def _post(
        self, callback: str, body: bytes, headers: dict[str, str], seconds: float
    ) -> tuple[int | None, str]:
        assert self._session is not None
        try:
            async with self._session.post(
                callback,
                data=io.BytesIO(body),  # aiohttp frowns on large raw bytes
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=seconds),
            ) as r:
                await r.read()
                return r.status, ""
        except (aiohttp.ClientError, TimeoutError) as exc:
            return None, repr(exc)

    def _spawn(self, coro: Any) -> None:
        task: asyncio.Task[None] = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _log(self, kind: str, topic: str, callback: str, status: int | None, detail: str) -> None:
        self.events.append(HubEvent(kind, topic, callback, time.time(), status, detail))


def _invalid(mode: str, topic: str, callback: str, secret: bytes | None, lease: str) -> str:
    if mode not in ("subscribe", "unsubscribe"):
        return "hub.mode must be subscribe or unsubscribe"
    if not topic:
        return "hub.topic is required"
    try:
        url = URL(callback)
    except ValueError:
        return "hub.callback is not a URL"
    if url.scheme not in ("http", "https") or not url.host:
        return "hub.callback must be an absolute http(s) URL"
    if secret is not None and len(secret) >= 200:
        return "hub.secret must be shorter than 200 bytes"
    if lease and (not lease.isdigit() or int(lease) == 0):
        return "hub.lease_seconds must be a positive integer"
    return ""
