"""The orchestrator: notice → read → understand → publish. The only place where the
stages meet the store. Each flow is one function that reads like the pipeline."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from worldwire.desk import Desk
from worldwire.errors import FetchError, ParseError, StoreError
from worldwire.fetch import Fetcher
from worldwire.model import ParsedFeed, Source
from worldwire.parse import has_full_text, parse_feed
from worldwire.scheduler import Plan, observe_gap, plan_backup, plan_failure, plan_success
from worldwire.settings import Settings
from worldwire.store import PollOutcome, Store, Upserted
from worldwire.websub.subscriber import Subscriber

log = logging.getLogger("worldwire.pipeline")


@dataclass(slots=True)
class PollReport:
    """What one poll did, for the CLI summary and the logs."""

    source_id: int
    name: str
    url: str
    status: int | None
    new_items: int = 0
    updated_items: int = 0
    error: str = ""
    elapsed_ms: float = 0.0
    next_check_at: float = 0.0


class Pipeline:
    def __init__(
        self, store: Store, fetcher: Fetcher, settings: Settings, owner: str, desk: Desk
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.desk = desk
        self.settings = settings
        self.owner = owner
        # WebSub: told about every polled feed (hubs, what polls find first); while
        # push is healthy for a source, its polls are a rare backup.
        self.push: Subscriber | None = None

    async def refresh_source(self, source: Source) -> PollReport:
        """Poll one source: conditional GET, parse, store, publish, schedule. Never
        raises: every failure is recorded on the source, which then backs off."""
        try:
            return await self._refresh(source)
        except Exception as exc:  # a bug must not stop this source or the others
            log.exception("poll crashed", extra={"source_id": source.id, "url": source.feed_url})
            return await self._failed(source, exc, None, internal=True)

    async def _refresh(self, source: Source) -> PollReport:
        try:
            result = await self.fetcher.get(
                source.feed_url, etag=source.etag, last_modified=source.last_modified
            )
        except FetchError as exc:
            return await self._failed(source, exc, exc.status, exc.retry_after)
        fetched_at = time.time()
        if result.not_modified:
            plan = plan_success(source, self.settings, fetched_at, 0, headers=result.headers)
            plan = self._backup(source, plan, fetched_at)
            return await self._succeeded(
                source, fetched_at, 304, result.elapsed_ms, plan, headers=result.headers
            )
        try:
            feed = parse_feed(result.body, result.url, fetched_at)
        except ParseError as exc:
            return await self._failed(source, exc, result.status)
        for warning in feed.warnings[:5]:
            log.info("feed warning: %s", warning, extra={"source_id": source.id})
        try:
            upserted = await self.ingest(source, feed, fetched_at)
        except StoreError as exc:
            return await self._failed(source, exc, result.status)
        new = [u for u in upserted if u.is_new]
        if self.push is not None:
            await self.push.polled(source, feed, result.headers, upserted, fetched_at, result.url)
        plan = plan_success(
            source, self.settings, fetched_at, len(new), feed.entries, result.headers, feed.ttl
        )
        plan = self._backup(source, plan, fetched_at)
        return await self._succeeded(
            source,
            fetched_at,
            result.status,
            result.elapsed_ms,
            plan,
            headers=result.headers,
            feed=feed,
            new=len(new),
            updated=sum(1 for u in upserted if u.changed and not u.is_new),
        )

    async def ingest(self, source: Source, feed: ParsedFeed, seen_at: float) -> list[Upserted]:
        """Store a feed's entries (new ones are visible from this commit on), then hand
        the new ones to the desk. Polls and pushes both come through here."""
        upserted = await self.store.upsert_entries(source, feed.entries, seen_at)
        full_text = source.full_text if source.full_text is not None else has_full_text(feed)
        await self.desk.publish(source, feed.entries, upserted, full_text)
        return upserted

    async def receive_push(
        self, source: Source, feed: ParsedFeed, seen_at: float
    ) -> list[Upserted]:
        """Entries a hub pushed (the subscriber checked the signature): stored and
        published at once. The source's publishing rate learns from them too, so
        that polling picks up at the right pace if push ever stops."""
        upserted = await self.ingest(source, feed, seen_at)
        new = sum(1 for u in upserted if u.is_new)
        if new:
            gap = observe_gap(source, seen_at, new, None)
            await self.store.record_arrivals(source.id, seen_at, new, gap)
        return upserted

    def _backup(self, source: Source, plan: Plan, now: float) -> Plan:
        if self.push is not None and self.push.healthy(source.id):
            return plan_backup(plan, self.settings, now)
        return plan

    async def _succeeded(
        self,
        source: Source,
        fetched_at: float,
        status: int,
        elapsed_ms: float,
        plan: Plan,
        *,
        headers: dict[str, str],
        feed: ParsedFeed | None = None,
        new: int = 0,
        updated: int = 0,
    ) -> PollReport:
        outcome = PollOutcome(
            source_id=source.id,
            owner=self.owner,
            fetched_at=fetched_at,
            next_check_at=plan.next_check_at,
            interval=plan.interval,
            status=status,
            error="",
            error_count=0,
            etag=headers.get("etag", "") if feed else None,
            last_modified=headers.get("last-modified", "") if feed else None,
            elapsed_ms=elapsed_ms,
            avg_gap=plan.avg_gap,
            last_new_at=fetched_at if new else (source.last_new_at or fetched_at),
            new_items=new,
            full_text=has_full_text(feed)
            if feed is not None and source.full_text is None
            else None,
        )
        await self._record(outcome)
        level = logging.INFO if new else logging.DEBUG
        if log.isEnabledFor(level):  # thousands of 304s a second: skip building the record
            log.log(
                level,
                "polled",
                extra={
                    "source_id": source.id,
                    "url": source.feed_url,
                    "status": status,
                    "elapsed_ms": round(elapsed_ms, 1),
                    "new": new,
                    "interval_s": round(plan.interval, 1),
                },
            )
        return PollReport(
            source.id,
            source.name,
            source.feed_url,
            status,
            new,
            updated,
            elapsed_ms=elapsed_ms,
            next_check_at=plan.next_check_at,
        )

    async def _failed(
        self,
        source: Source,
        exc: Exception,
        status: int | None,
        retry_after: float | None = None,
        internal: bool = False,
    ) -> PollReport:
        now = time.time()
        errors = source.error_count + 1
        plan = plan_failure(source, self.settings, now, errors, retry_after)
        message = f"internal error: {exc!r}" if internal else (str(exc) or type(exc).__name__)
        await self._record(
            PollOutcome(
                source_id=source.id,
                owner=self.owner,
                fetched_at=now,
                next_check_at=plan.next_check_at,
                interval=plan.interval,
                status=status,
                error=message,
                error_count=errors,
            )
        )
        log.warning(
            "poll failed: %s",
            message,
            extra={
                "source_id": source.id,
                "url": source.feed_url,
                "status": status,
                "error_count": errors,
                "retry_in_s": round(plan.interval, 1),
            },
        )
        return PollReport(
            source.id,
            source.name,
            source.feed_url,
            status,
            error=message,
            next_check_at=plan.next_check_at,
        )

    async def _record(self, outcome: PollOutcome) -> None:
        try:
            if not await self.store.record_poll(outcome):
                log.warning(
                    "lease lost: poll result dropped", extra={"source_id": outcome.source_id}
                )
        except StoreError as exc:
            # Disk full or similar: the lease runs out and the source is polled again.
            log.error("cannot record poll: %s", exc, extra={"source_id": outcome.source_id})
