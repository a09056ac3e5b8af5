"""The simulated world of news sites: WorldWire's outside world for the demo, the
tests and the benchmarks. See world.py for the API and config.py for the knobs."""

from worldwire.sim.config import WorldConfig
from worldwire.sim.hub import HubBehaviour, HubEvent, Subscription
from worldwire.sim.items import TruthRecord
from worldwire.sim.sites import HttpTraits, Site
from worldwire.sim.world import World

__all__ = [
    "HttpTraits",
    "HubBehaviour",
    "HubEvent",
    "Site",
    "Subscription",
    "TruthRecord",
    "World",
    "WorldConfig",
]
