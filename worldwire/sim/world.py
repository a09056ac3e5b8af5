"""The simulated world: news sites on 127.0.0.1, a WebSub hub, a clock, and the
ground truth of everything published.

    world = World(WorldConfig(sites=20, speedup=60.0, seed=1), truth_path=Path("truth.jsonl"))
    await world.start()        # binds one port per site, and one for the hub
    world.sites                # [Site(id, name, url, feed_url, kind, lang, country, hub_url...)]
    world.opml()               # the address list
    await world.publish(3)     # publish on site 3 now; returns the TruthRecord
    await world.stop()

The world imports nothing of WorldWire's own stages: it is the outside world.
"""

from __future__ import annotations

import asyncio
import gc
import heapq
import logging
import random
import time
from collections import OrderedDict
from pathlib import Path

from worldwire.sim import corpus, feeds, geography, opml, pages, sites
from worldwire.sim.clock import WorldClock
from worldwire.sim.config import WorldConfig
from worldwire.sim.httpserver import HttpServer
from worldwire.sim.hub import Content, Hub
from worldwire.sim.items import Item, TruthRecord
from worldwire.sim.newsroom import Draft, Newsroom
from worldwire.sim.ports import bind_ports, raise_fd_limit
from worldwire.sim.siteserver import SiteServer
from worldwire.sim.slugs import article_path, slugify, summary
from worldwire.sim.truth import TruthLog

log = logging.getLogger("worldwire.sim")
_RESERVED_FDS = 256


class World:
    def __init__(
        self, cfg: WorldConfig, truth_path: Path | None = None, *, keep_truth: bool = True
    ) -> None:
        """`keep_truth=False` leaves `truth` empty and writes records to disk only, for
        long runs of big worlds."""
        self.cfg = cfg
        self.clock = WorldClock(cfg.speedup)
        self.sites: list[sites.Site] = []
        self.hub = Hub(known_topic=self._is_push_topic)
        self.started_at = 0.0
        self._truth = TruthLog(truth_path, keep=keep_truth)
        self._servers: list[SiteServer] = []
        self._by_feed: dict[str, SiteServer] = {}
        self._http: HttpServer | None = None
        self._newsroom: Newsroom | None = None
        self._scheduler: asyncio.Task[None] | None = None
        self._rng = random.Random(cfg.seed * 104729 + 3)

    @property
    def truth(self) -> list[TruthRecord]:
        return self._truth.records

    @property
    def requests_served(self) -> int:
        return self._http.requests if self._http else 0

    async def __aenter__(self) -> World:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        # Start-up makes hundreds of thousands of objects, none of them garbage: the
        # cyclic collector would rescan them over and over (10,000 sites: 10 s -> 4 s).
        collecting = gc.isenabled()
        gc.disable()
        try:
            await self._start()
        finally:
            if collecting:
                gc.enable()

    async def _start(self) -> None:
        cfg = self.cfg
        fds = raise_fd_limit()
        if cfg.sites + _RESERVED_FDS > fds:
            raise OSError(f"{cfg.sites} sites need more than the {fds} file descriptors allowed")
        planned = sites.plan(cfg)
        socks = bind_ports(cfg.host, cfg.sites, cfg.port_base)
        try:
            hub_base = cfg.port_base + cfg.sites if cfg.port_base else 0
            hub_sock = bind_ports(cfg.host, 1, cfg.hub_port or hub_base)[0]
        except OSError:
            for sock in socks:
                sock.close()
            raise
        await self.hub.start(hub_sock)
        self.sites = [
            p.bound(cfg.host, s.getsockname()[1], self.hub.url)
            for p, s in zip(planned, socks, strict=True)
        ]
        self.clock.start()
        real = corpus.real_pages(Path(cfg.real_pages)) if cfg.real_pages else ()
        self._newsroom = Newsroom(corpus.load(), cfg, self.sites, real)
        self._http = HttpServer(cfg.idle_timeout, max_connections=fds - cfg.sites - _RESERVED_FDS)
        renderer, page_cache = pages.Pages(), OrderedDict[str, bytes]()
        nonce = f"{int(time.time() * 1000) % 10**9:x}"
        for site in self.sites:
            server = SiteServer(
                site,
                self.clock,
                renderer,
                page_cache,
                nonce=nonce,
                feed_items=cfg.feed_items,
                archive_items=cfg.archive_items,
                rng=random.Random(self._rng.random()),
            )
            self._servers.append(server)
            self._by_feed[site.feed_url] = server
        backfill = [self._backfill(server) for server in self._servers]
        for server, sock in zip(self._servers, socks, strict=True):
            await self._http.listen(sock, server.respond)
        self.started_at = time.time()
        records = []
        for items in backfill:
            for item in items:
                item.published = self.started_at
                records.append(self._record(item, pushed=False, backfill=True))
        self._truth.append(*records)
        if cfg.autopublish:
            self.resume()

    def pause(self) -> None:
        """Stop publishing on the sites' clocks (the sites keep serving)."""
        if self._scheduler is not None:
            self._scheduler.cancel()
            self._scheduler = None

    def resume(self) -> None:
        """Publish on the sites' clocks again (each site's next item is drawn afresh)."""
        if self._scheduler is None:
            self._scheduler = asyncio.create_task(self._run_schedule())

    async def stop(self) -> None:
        scheduler = self._scheduler
        self.pause()
        if scheduler is not None:
            await asyncio.gather(scheduler, return_exceptions=True)
        await self.hub.stop()
        if self._http is not None:
            await self._http.close()
        self._truth.close()

    def opml(self) -> str:
        return opml.render(
            self.sites, f"WorldWire simulated world ({len(self.sites)} sites, seed {self.cfg.seed})"
        )

    def feed_bytes(self, site_id: int) -> bytes:
        """The feed document a site serves right now."""
        return self._servers[site_id].feed_bytes()

    async def publish(
        self,
        site_id: int,
        *,
        title: str | None = None,
        paragraphs: tuple[str, ...] = (),
        event: str | None = None,
        lang: str | None = None,
        copy_of: str | None = None,
    ) -> TruthRecord:
        """Publish one item on a site now. By default the newsroom picks it, as the
        schedule would; `title` (and `paragraphs`) publish a given text, and
        `copy_of` (an item id or URL) republishes an item with syndication edits."""
        assert self._newsroom is not None, "start() the world first"
        server = self._servers[site_id]
        if copy_of is not None:
            draft = self._newsroom.copy_of(server.site, self._find(copy_of))
        elif title is not None:
            body = paragraphs or (title,)
            event = event or "custom:" + slugify(title)
            lang = lang or server.site.lang
            draft = Draft(title, body, lang, event, None, "original", None, brief=not paragraphs)
        else:
            draft = self._newsroom.draft(server.site, self.clock.now())
        return self._go_live(server, draft)

    # --- internals ---

    def _go_live(self, server: SiteServer, draft: Draft) -> TruthRecord:
        item = self._make_item(server, draft, claimed=time.time())
        site = server.site
        pushed = False
        if site.push and self.hub.has_subscribers(site.feed_url):
            content = Content(
                server.feed_bytes(), server.feed_of([item]), feeds.CONTENT_TYPES[site.kind]
            )
            pushed = self.hub.publish(site.feed_url, content) > 0
        record = self._record(item, pushed=pushed, backfill=False)
        self._truth.append(record)
        return record

    def _make_item(self, server: SiteServer, draft: Draft, claimed: float) -> Item:
        site = server.site
        seq = server.version + 1
        path = article_path(site.template, server.claim_slug(draft.title), seq, claimed)
        url = site.url.rstrip("/") + path
        item = Item(
            id=f"s{site.id}-{seq}",
            site_id=site.id,
            seq=seq,
            path=path,
            url=url,
            guid=f"{site.url}?p={seq}" if site.template == "wordpress" else url,
            title=draft.title,
            paragraphs=draft.paragraphs,
            summary=summary(draft.paragraphs[0]),
            lang=draft.lang,
            author=draft.author or geography.byline(self._rng),
            event=draft.event,
            corpus_id=draft.corpus_id,
            relation=draft.relation,
            original=draft.original,
            edits=draft.edits,
            brief=draft.brief,
            page=draft.page,
            claimed=claimed,
        )
        server.add(item, claimed)
        item.published = time.time()
        item.world_time = self.clock.now()
        assert self._newsroom is not None
        self._newsroom.register(item, site)
        return item

    def _backfill(self, server: SiteServer) -> list[Item]:
        """The items a site already has when the world opens, dated in the past."""
        assert self._newsroom is not None
        site, now = server.site, time.time()
        gaps = [
            self._rng.expovariate(1.0) * site.interval / self.cfg.speedup
            for _ in range(self.cfg.initial_items)
        ]
        items = []
        for k in range(self.cfg.initial_items):
            claimed = now - sum(gaps[k:])
            items.append(
                self._make_item(server, self._newsroom.draft(site, self.clock.now()), claimed)
            )
        return items

    def _record(self, item: Item, *, pushed: bool, backfill: bool) -> TruthRecord:
        """The item's truth record (not yet logged)."""
        site = self.sites[item.site_id]
        original = item.original
        return TruthRecord(
            item_id=item.id,
            site_id=item.site_id,
            url=item.url,
            guid=item.guid,
            feed_url=site.feed_url,
            kind=site.kind,
            title=item.title,
            lang=item.lang,
            event=item.event,
            corpus_id=item.corpus_id,
            relation=item.relation,
            original_id=original.id if original else None,
            original_url=original.url if original else None,
            edits=item.edits,
            published=item.published,
            world_time=item.world_time,
            pushed=pushed,
            backfill=backfill,
        )

    async def _run_schedule(self) -> None:
        rng = random.Random(self.cfg.seed * 31 + 7)
        now = self.clock.now()
        queue = [(now + rng.expovariate(1.0 / s.interval), s.id) for s in self.sites]
        heapq.heapify(queue)
        published = 0
        while True:
            when, site_id = queue[0]
            delay = self.clock.real_delay(when)
            if delay > 0:
                await asyncio.sleep(delay)
                continue
            try:
                await self.publish(site_id)
            except Exception:
                # One bad item must not stop the world's clock.
                log.exception("publish failed", extra={"site_id": site_id})
            heapq.heapreplace(
                queue, (when + rng.expovariate(1.0 / self.sites[site_id].interval), site_id)
            )
            published += 1
            if published % 50 == 0:
                await asyncio.sleep(0)  # a backlog must not starve the sites' readers

    def _find(self, ref: str) -> Item:
        for server in self._servers if ref.startswith("http") else [self._server_of_id(ref)]:
            for item in server.archive:
                if ref in (item.id, item.url):
                    return item
        raise KeyError(f"no item {ref!r} in the world's archive")

    def _server_of_id(self, item_id: str) -> SiteServer:
        return self._servers[int(item_id[1:].split("-", 1)[0])]

    def _is_push_topic(self, topic: str) -> bool:
        server = self._by_feed.get(topic)
        return server is not None and server.site.push
