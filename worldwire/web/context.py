"""What the web layer needs from the running process."""

from __future__ import annotations

from dataclasses import dataclass

from worldwire.bus import EventBus
from worldwire.settings import Settings
from worldwire.store import Store


@dataclass
class AppContext:
    store: Store
    bus: EventBus
    settings: Settings
