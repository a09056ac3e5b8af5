"""The WebSub subscriber: sources whose feeds name a hub get their news pushed.

Polls tell it about hubs (`polled`); its loop (`run`) subscribes, renews at 80% of
the lease the hub granted, retries with backoff, and unsubscribes removed sources.
The web layer hands it the hub's requests: intent verification (`verify`) and
content (`deliver`). A verified body goes straight into the pipeline (`ingest`,
as a poll's entries do), bursts for one topic merged into one write. Polls go on,
rarely, as a backup; one that finds an item push never brought marks push broken
(see state.py).

Subscriptions are made only when `public_url` is set: without it no hub can reach
us. Everything runs in one process; the store keeps the state across restarts."""

from __future__ import annotations

import asyncio
import logging
import math
import secrets
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any, Protocol

from worldwire.errors import FetchError, ParseError, StoreError
from worldwire.fetch import Fetcher
from worldwire.model import ParsedFeed, Source
from worldwire.parse import parse_feed
from worldwire.settings import Settings
from worldwire.websub.discovery import discover
from worldwire.websub.inbox import Arrived, Inbox, merged
from worldwire.websub.signature import Check, check
from worldwire.websub.state import (
    ACTIVE,
    BROKEN,
    DENIED,
    EXPIRED,
    FAILED,
    SUBSCRIBING,
    UNSUBSCRIBING,
    PushState,
)

log = logging.getLogger("worldwire.websub")

LEASE_REQUEST = 10 * 86400  # seconds asked for; hubs grant what they like
RENEW_AT = 0.8  # of the granted lease
VERIFY_TIMEOUT = 120.0  # a hub that accepted a request must verify within this
DENIED_RETRY = 86400.0
MAX_BODY = 3 * 1024 * 1024
CLOCK_SLACK = 5.0  # seconds of disagreement between a site's clock and ours
ORPHAN_CHECK = 2.0  # seconds between looks for removed sources


class PushStore(Protocol):
    async def push_states(self) -> list[PushState]: ...
    async def save_push_state(self, state: PushState) -> None: ...
    async def delete_push_state(self, source_id: int) -> None: ...
    async def push_on_disabled_sources(self) -> list[int]: ...
    async def poll_soon(self, source_id: int, at: float) -> None: ...
    async def get_source(self, source_id: int) -> Source | None: ...


class Stored(Protocol):
    """What the pipeline's ingest says about each entry it stored."""

    key: str
    is_new: bool


Ingest = Callable[[Source, ParsedFeed, float], Awaitable[Sequence[Stored]]]


class Subscriber:
    def __init__(
        self, store: PushStore, fetcher: Fetcher, settings: Settings, ingest: Ingest
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.settings = settings
        self.ingest = ingest
        self._states: dict[int, PushState] = {}
        self._by_token: dict[str, PushState] = {}
        # Items a poll found while push was healthy, by key, with when: push has
        # `websub_grace` seconds to bring them too.
        self._unconfirmed: dict[int, dict[str, float]] = {}
        self._inbox = Inbox(self._ingest)
        self._busy: set[int] = set()  # a request to the hub is in flight for these
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()

    @property
    def enabled(self) -> bool:
        return bool(self.settings.public_url)

    def callback_url(self, state: PushState) -> str:
        return f"{self.settings.public_url.rstrip('/')}/websub/{state.token}"

    async def start(self) -> None:
        for state in await self.store.push_states():
            self._remember(state)

    def healthy(self, source_id: int) -> bool:
        """Whether push brings this source's news (so that polls can be rare). Never
        without a public URL: a hub could not reach a callback made for another one."""
        state = self._states.get(source_id)
        return self.enabled and state is not None and state.healthy(time.time())

    def state_of(self, source_id: int) -> PushState | None:
        return self._states.get(source_id)

    # -- what polls tell us ------------------------------------------------------

    async def polled(
        self,
        source: Source,
        feed: ParsedFeed,
        headers: dict[str, str],
        stored: Sequence[Stored],
        fetched_at: float,
        url: str = "",
    ) -> None:
        """After a poll that brought a feed: notice its hub, count what the poll found
        first, and keep an eye on items push should have brought. Never raises."""
        try:
            await self._polled(source, feed, headers, stored, fetched_at, url or source.feed_url)
        except StoreError as exc:
            log.error("cannot record push state: %s", exc, extra={"source_id": source.id})

    async def _polled(
        self,
        source: Source,
        feed: ParsedFeed,
        headers: dict[str, str],
        stored: Sequence[Stored],
        fetched_at: float,
        url: str,
    ) -> None:
        found = discover(feed, headers, url)
        state = self._states.get(source.id)
        if found is None and state is None:
            return
        if found is not None and (
            state is None or (state.hub, state.topic) != (found.hub, found.topic)
        ):
            # A new or moved hub: a subscription of its own. One to an old hub lapses;
            # its deliveries reach an unknown token and are refused.
            if state is not None:
                self._forget_memory(state)
            state = PushState(source.id, found.hub, found.topic, _token(), due_at=fetched_at)
            self._remember(state)
            log.info("hub found", extra={"source_id": source.id, "hub": found.hub})
            await self._save(state)
            return  # what this poll found was there before push could bring it
        assert state is not None
        new = [s.key for s in stored if s.is_new]
        if not new:
            return
        state.poll_arrivals += len(new)
        if state.healthy(fetched_at) and state.active_since is not None:
            published = {e.key: e.published for e in feed.entries}
            # An item published before push was on cannot be push's fault: it was new
            # to us only because nobody polled since.
            polled_since = (source.last_fetch_at or 0.0) >= state.active_since
            since = state.active_since + CLOCK_SLACK
            owed = self._unconfirmed.setdefault(source.id, {})
            for key in new:
                when = published.get(key)
                if polled_since or (when is not None and when > since):
                    owed.setdefault(key, fetched_at)
            if not owed:
                del self._unconfirmed[source.id]
        await self._save(state)

    # -- the hub's requests ----------------------------------------------------------

    async def verify(
        self, token: str, mode: str, topic: str, challenge: str, lease: str, reason: str = ""
    ) -> str | None:
        """Intent verification: the challenge to echo, or None (answer 404) when no
        request of ours matches. A denial is recorded and answered with "". Hubs wait
        for the answer with a timeout: the store is written after, in the background."""
        state = self._by_token.get(token)
        if state is None or topic != state.topic:
            return None
        now = time.time()
        if mode == "denied":
            self._background(self._denied(state, reason, now), state.source_id)
            return ""
        if not challenge or not mode or mode != state.pending:
            return None
        if mode == "unsubscribe":
            self._forget_memory(state)
            self._background(self.store.delete_push_state(state.source_id), state.source_id)
            log.info("unsubscribed", extra={"source_id": state.source_id, "hub": state.hub})
            return challenge
        granted = int(lease) if lease.isdigit() and int(lease) > 0 else LEASE_REQUEST
        if not state.healthy(now):
            state.active_since = now
        state.state = ACTIVE
        state.pending = ""
        state.lease_seconds = granted
        state.lease_expires_at = now + granted
        state.due_at = now + RENEW_AT * granted
        state.attempts = 0
        self._background(self._save(state), state.source_id)
        log.info(
            "subscribed",
            extra={"source_id": state.source_id, "hub": state.hub, "lease_s": granted},
        )
        return challenge

    async def deliver(self, token: str, body: bytes | None, signature: str | None) -> int:
        """Content distribution; returns the HTTP status to answer. `body` is None when
        it was larger than MAX_BODY. A body that fails the signature check is ignored
        and recorded, but answered 202 all the same, so that the secret cannot be
        probed (WebSub §8)."""
        state = self._by_token.get(token)
        if state is None or state.state == UNSUBSCRIBING:
            return 410  # Gone: the hub should drop this subscription
        if body is None:
            self._reject(state, f"push ignored: body larger than {MAX_BODY} bytes")
            return 413
        verdict = check(signature, state.secret, body, allow_sha1=self.settings.websub_allow_sha1)
        if verdict is not Check.VALID:
            self._reject(state, f"push ignored: {verdict.value}")
            return 202
        self._inbox.put(state.source_id, body, time.time())
        return 202

    # -- content -------------------------------------------------------------------

    async def _ingest(self, source_id: int, arrived: Arrived) -> None:
        """A batch of verified deliveries for one source: parsed, merged, stored."""
        state = self._states.get(source_id)
        source = await self.store.get_source(source_id)  # fresh: its rate is updated
        if state is None or source is None or not source.enabled:
            return
        seen_at = arrived[0][1]  # when we first had these entries
        feeds, problems = [], []
        for body, _ in arrived:
            try:
                feeds.append(parse_feed(body, source.feed_url, seen_at))
            except ParseError as exc:
                problems.append(str(exc))
        if feeds:
            feed = merged(feeds)
            stored = await self.ingest(source, feed, seen_at)
            new = sum(1 for s in stored if s.is_new)
            state.pushes += len(feeds)
            state.push_arrivals += new
            state.last_push_at = seen_at
            owed = self._unconfirmed.get(source_id)
            if owed:
                for entry in feed.entries:
                    owed.pop(entry.key, None)
                if not owed:
                    del self._unconfirmed[source_id]
            if log.isEnabledFor(logging.DEBUG):
                log.debug("pushed", extra={"source_id": source_id, "new": new})
        if problems:
            self._error(state, f"unreadable push: {problems[-1]}", seen_at)
        await self._save(state)

    def _reject(self, state: PushState, message: str) -> None:
        state.rejected += 1
        self._error(state, message, time.time())
        log.warning(message, extra={"source_id": state.source_id, "hub": state.hub})
        self._background(self._save(state), state.source_id)

    # -- the loop: subscribe, renew, retry, expire, unsubscribe ------------------------

    async def run(self, stop: asyncio.Event) -> None:
        checked = 0.0
        try:
            while not stop.is_set():
                now = time.time()
                if now - checked >= ORPHAN_CHECK:
                    checked = now
                    await self._retire_removed()
                wake_at = checked + ORPHAN_CHECK
                for state in list(self._states.values()):
                    wake_at = min(wake_at, self._step(state, now))
                self._wake.clear()
                waiters = [
                    asyncio.ensure_future(self._wake.wait()),
                    asyncio.ensure_future(stop.wait()),
                ]
                try:
                    await asyncio.wait(
                        waiters,
                        timeout=max(0.0, wake_at - time.time()),
                        return_when=asyncio.FIRST_COMPLETED,
                    )
                finally:
                    for waiter in waiters:
                        waiter.cancel()
        finally:
            await self.close()

    async def close(self) -> None:
        """Let deliveries being stored finish; requests to hubs are dropped (they are
        retried from the stored state on the next start)."""
        await self._inbox.close()
        await asyncio.sleep(0)  # saves just scheduled reach the writer's queue first
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _step(self, state: PushState, now: float) -> float:
        """Start what is due for this subscription; returns when to look again."""
        sid = state.source_id
        if sid in self._busy:
            return math.inf  # the work in flight wakes the loop when done
        unverified_at = (state.requested_at or 0.0) + VERIFY_TIMEOUT if state.pending else math.inf
        expires_at = (state.lease_expires_at or 0.0) if state.state == ACTIVE else math.inf
        owed = self._unconfirmed.get(sid)
        broken_at = min(owed.values()) + self.settings.websub_grace if owed else math.inf
        due_at = math.inf
        if self.enabled and not state.pending and state.state != UNSUBSCRIBING:
            due_at = state.due_at
        if unverified_at <= now:
            self._act(state, self._unverified(state))
        elif expires_at <= now:
            self._act(state, self._expired(state))
        elif broken_at <= now:
            self._act(state, self._broken(state))
        elif due_at <= now:
            self._act(state, self._subscribe(state))
        else:
            return min(unverified_at, expires_at, broken_at, due_at)
        return math.inf

    def _act(self, state: PushState, work: Coroutine[Any, Any, None]) -> None:
        """Run one step for a subscription; the loop leaves it alone until it is done."""
        sid = state.source_id
        self._busy.add(sid)
        self._background(work, sid, lambda: self._busy.discard(sid))

    def _background(
        self,
        work: Coroutine[Any, Any, None],
        source_id: int,
        done: Callable[[], None] | None = None,
    ) -> None:
        async def guarded() -> None:
            try:
                await work
            except StoreError as exc:
                log.error("cannot record push state: %s", exc, extra={"source_id": source_id})
            except Exception:  # a bug must not stop the other subscriptions
                log.exception("push step crashed", extra={"source_id": source_id})
            finally:
                if done is not None:
                    done()
                self._wake.set()

        task = asyncio.create_task(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _subscribe(self, state: PushState) -> None:
        """Subscribe, or renew: a renewal keeps the callback and secret of the live
        subscription; anything else starts afresh with a new token and secret."""
        now = time.time()
        if state.state != ACTIVE:
            self._retoken(state)
            state.secret = secrets.token_hex(32)
            state.state = SUBSCRIBING
        state.pending = "subscribe"
        state.requested_at = now
        await self._save(state)  # the hub may verify before it even answers
        form = {
            "hub.mode": "subscribe",
            "hub.topic": state.topic,
            "hub.callback": self.callback_url(state),
            "hub.secret": state.secret,
            "hub.lease_seconds": str(LEASE_REQUEST),
        }
        try:
            await self.fetcher.request("POST", state.hub, data=form, max_bytes=65536)
        except FetchError as exc:
            if state.pending == "subscribe":
                state.pending = ""
            self._failed(state, f"hub refused the subscription: {exc}", now)
            await self._save(state)

    async def _unverified(self, state: PushState) -> None:
        if state.pending == "unsubscribe":
            await self._forget(state)  # we asked; the lease ends by itself anyway
            return
        state.pending = ""
        self._failed(state, f"the hub did not verify within {VERIFY_TIMEOUT:g} s", time.time())
        await self._save(state)

    async def _expired(self, state: PushState) -> None:
        now = time.time()
        state.state = EXPIRED
        self._error(state, "the lease ended before it was renewed", now)
        log.warning("push lease expired", extra={"source_id": state.source_id, "hub": state.hub})
        await self.store.poll_soon(state.source_id, now)
        await self._save(state)

    async def _broken(self, state: PushState) -> None:
        now = time.time()
        missed = len(self._unconfirmed.pop(state.source_id, {}))
        state.state = BROKEN
        state.pending = ""
        state.due_at = now  # resubscribe afresh at once; polls are normal meanwhile
        self._error(state, f"push missed {missed} item(s) that a poll found", now)
        log.warning("push broken", extra={"source_id": state.source_id, "missed": missed})
        await self.store.poll_soon(state.source_id, now)
        await self._save(state)

    async def _denied(self, state: PushState, reason: str, now: float) -> None:
        was_healthy = state.healthy(now)
        state.state = DENIED
        state.pending = ""
        state.lease_expires_at = None
        state.due_at = now + DENIED_RETRY
        self._error(state, f"the hub denied the subscription: {reason or 'no reason given'}", now)
        log.warning("push denied", extra={"source_id": state.source_id, "reason": reason})
        if was_healthy:
            await self.store.poll_soon(state.source_id, now)
        await self._save(state)

    async def _retire_removed(self) -> None:
        for source_id in await self.store.push_on_disabled_sources():
            state = self._states.get(source_id)
            if state is not None and source_id not in self._busy and state.state != UNSUBSCRIBING:
                self._act(state, self._unsubscribe(state))

    async def _unsubscribe(self, state: PushState) -> None:
        self._unconfirmed.pop(state.source_id, None)
        if not self.enabled or state.state not in (ACTIVE, SUBSCRIBING):
            await self._forget(state)  # nothing live at the hub
            return
        state.state = UNSUBSCRIBING
        state.pending = "unsubscribe"
        state.requested_at = time.time()
        await self._save(state)
        form = {
            "hub.mode": "unsubscribe",
            "hub.topic": state.topic,
            "hub.callback": self.callback_url(state),
        }
        try:
            await self.fetcher.request("POST", state.hub, data=form, max_bytes=65536)
        except FetchError as exc:
            log.info("unsubscribe refused: %s", exc, extra={"source_id": state.source_id})
            await self._forget(state)  # the lease runs out by itself

    # -- bookkeeping --------------------------------------------------------------

    def _failed(self, state: PushState, message: str, now: float) -> None:
        state.attempts += 1
        backoff = self.settings.backoff_base * 2 ** (state.attempts - 1)
        state.due_at = now + min(self.settings.backoff_ceiling, backoff)
        if state.state != ACTIVE:  # a live lease stays healthy until it runs out
            state.state = FAILED
        self._error(state, message, now)
        log.warning(message, extra={"source_id": state.source_id, "hub": state.hub})

    @staticmethod
    def _error(state: PushState, message: str, now: float) -> None:
        state.last_error = message
        state.last_error_at = now

    def _remember(self, state: PushState) -> None:
        self._states[state.source_id] = state
        self._by_token[state.token] = state

    def _retoken(self, state: PushState) -> None:
        self._by_token.pop(state.token, None)
        state.token = _token()
        self._by_token[state.token] = state

    def _forget_memory(self, state: PushState) -> None:
        self._states.pop(state.source_id, None)
        self._by_token.pop(state.token, None)
        self._unconfirmed.pop(state.source_id, None)

    async def _forget(self, state: PushState) -> None:
        self._forget_memory(state)
        await self.store.delete_push_state(state.source_id)

    async def _save(self, state: PushState) -> None:
        if self._states.get(state.source_id) is state:  # not forgotten meanwhile
            await self.store.save_push_state(state)
        self._wake.set()  # its times may have changed: the loop looks again


def _token() -> str:
    return secrets.token_urlsafe(24)
