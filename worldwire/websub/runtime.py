"""The subscriber and our own hub, made, started and run together by the service."""

from __future__ import annotations

import asyncio
from typing import Protocol

from worldwire.bus import EventBus
from worldwire.fetch import Fetcher
from worldwire.settings import Settings
from worldwire.websub.hub import HubStore, OutputHub
from worldwire.websub.subscriber import Ingest, PushStore, Subscriber


class WebSubStore(PushStore, HubStore, Protocol):
    pass


class WebSub:
    def __init__(
        self,
        store: WebSubStore,
        fetcher: Fetcher,
        bus: EventBus,
        settings: Settings,
        ingest: Ingest,
    ) -> None:
        self.subscriber = Subscriber(store, fetcher, settings, ingest)
        self.hub = OutputHub(store, fetcher, bus)

    async def start(self) -> None:
        """Load the stored state (before the first poll or request)."""
        await self.subscriber.start()
        await self.hub.start()

    async def run(self, stop: asyncio.Event) -> None:
        """Subscribe, renew and distribute until `stop` is set (only while serving:
        hubs call us back)."""
        await asyncio.gather(self.subscriber.run(stop), self.hub.run(stop))
