"""World time: the simulated clock, `speedup` times faster than the real one.

World time starts at the real time of `start()` and runs on from there, so a
world instant is also a plausible calendar date. Publish times in the ground truth
are real epochs; world instants only drive the schedule.
"""

from __future__ import annotations

import math
import time


class WorldClock:
    def __init__(self, speedup: float) -> None:
        self.speedup = speedup
        self.real_start = time.time()
        self._mono_start = time.monotonic()

    def start(self) -> None:
        self.real_start = time.time()
        self._mono_start = time.monotonic()

    def now(self) -> float:
        """The current world instant (epoch seconds in world time)."""
        return self.real_start + (time.monotonic() - self._mono_start) * self.speedup

    def real_delay(self, world_instant: float) -> float:
        """Real seconds from now until `world_instant` (0 if it has passed)."""
        return max(0.0, (world_instant - self.now()) / self.speedup)

    def advertised_seconds(self, world_seconds: float) -> int:
        """A world duration as the whole real seconds a site tells its clients (>= 1)."""
        return max(1, math.ceil(world_seconds / self.speedup))
