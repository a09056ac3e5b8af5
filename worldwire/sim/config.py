"""What a simulated world looks like: one dataclass of knobs, with sane defaults.

Durations come in two kinds, and the split is deliberate:
- **World time** (seconds of simulated time, scaled by `speedup`): how often sites
  publish, outages, rate-limit windows, and every duration a site *advertises* over
  HTTP (`Cache-Control: max-age`, RSS `<ttl>`, `Retry-After`). A site that says
  "come back in 10 minutes" at speedup 60 says `Retry-After: 10`, so a client that
  obeys it behaves as it would in the real world, only faster.
- **Real time** (plain seconds): network behaviour (a slow site's delay, idle
  connection timeouts) and the WebSub protocol's timers (leases), which belong to
  the client's clock rather than to the newsroom's.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

FORMATS = ("rss2", "atom", "jsonfeed", "rdf", "sitemap")
TEMPLATES = ("wordpress", "modern", "table")
ROLES = ("wire", "regular", "daily")


def _mix(**weights: float) -> dict[str, float]:
    return dict(weights)


@dataclass(frozen=True)
class WorldConfig:
    """Every knob of the world. Fractions are shares of sites unless said otherwise."""

    sites: int = 20
    speedup: float = 1.0
    seed: int = 0
    host: str = "127.0.0.1"
    # Site i listens on port_base + i; 0 lets the OS pick each port.
    port_base: int = 0
    # The WebSub hub's port; None means port_base + sites (or an OS port when port_base is 0).
    hub_port: int | None = None
    # Publish on each site's own clock. Tests turn it off and call World.publish().
    autopublish: bool = True

    # --- what sites are ---
    formats: dict[str, float] = field(
        default_factory=lambda: _mix(rss2=0.45, atom=0.2, jsonfeed=0.1, rdf=0.1, sitemap=0.15)
    )
    templates: dict[str, float] = field(
        default_factory=lambda: _mix(wordpress=0.5, modern=0.35, table=0.15)
    )
    # Sites whose feed carries the full text (content:encoded, Atom content, content_html).
    fulltext_fraction: float = 0.2
    # Sites that advertise the hub and push when they publish (never sitemap sites).
    push_fraction: float = 0.0
    # Sites in French, German, Spanish, Portuguese or Italian; the rest are English.
    foreign_fraction: float = 0.1

    # --- how often they publish (world seconds between items, exponential) ---
    wire_fraction: float = 0.01  # at least one wire site in any world
    daily_fraction: float = 0.2
    wire_interval: float = 60.0
    regular_interval: float = 1200.0
    daily_interval: float = 86400.0

    # --- what they publish ---
    # Share of new stories drawn from full-text articles; the rest are headline briefs.
    article_fraction: float = 0.3
    # A folder of real pages laid out like ../shared/data/extraction/zyte (ground-truth.json
    # and html/<id>.html.gz): this share of new English stories is served as those pages.
    real_pages: str | None = None
    real_page_fraction: float = 0.5
    # Share of a non-wire English site's items that republish a recent wire story.
    syndication_rate: float = 0.4
    # Wire stories stay available for republication this long (world seconds).
    syndication_window: float = 1800.0
    # Events running at once, per kind (full-text and headline).
    active_events: int = 6
    feed_items: int = 20
    initial_items: int = 5
    # Article pages kept per site (older ones answer 404).
    archive_items: int = 200

    # --- HTTP behaviour ---
    cache_hint_fraction: float = (
        0.3  # Cache-Control max-age (RSS 2.0 sites: <ttl> instead, half the time)
    )
    slow_fraction: float = 0.03
    slow_delay: tuple[float, float] = (0.2, 1.5)  # real seconds
    flaky_fraction: float = 0.03
    flaky_rate: float = 0.2  # share of requests answered 500
    outage_fraction: float = 0.02
    outage_every: float = 7200.0  # world seconds between outages
    outage_duration: float = 600.0  # world seconds of 500 (or 503 + Retry-After, half the sites)
    ratelimit_fraction: float = 0.02
    ratelimit_requests: int = 2  # allowed per window, across all clients
    ratelimit_window: float = 60.0  # world seconds
    idle_timeout: float = 60.0  # real seconds before an idle keep-alive connection is closed

    def __post_init__(self) -> None:
        problems = []
        if not 1 <= self.sites <= 20_000:
            problems.append("sites must be between 1 and 20000")
        if self.speedup <= 0:
            problems.append("speedup must be positive")
        for name in (
            "fulltext_fraction",
            "push_fraction",
            "foreign_fraction",
            "wire_fraction",
            "daily_fraction",
            "article_fraction",
            "real_page_fraction",
            "syndication_rate",
            "cache_hint_fraction",
            "slow_fraction",
            "flaky_fraction",
            "flaky_rate",
            "outage_fraction",
            "ratelimit_fraction",
        ):
            if not 0.0 <= getattr(self, name) <= 1.0:
                problems.append(f"{name} must be within [0, 1]")
        for name, allowed in (("formats", FORMATS), ("templates", TEMPLATES)):
            mix = getattr(self, name)
            if set(mix) - set(allowed) or not any(w > 0 for w in mix.values()):
                problems.append(f"{name} must weigh some of {', '.join(allowed)}")
        if self.feed_items < 1 or self.initial_items < 0 or self.active_events < 1:
            problems.append("feed_items and active_events must be >= 1, initial_items >= 0")
        if problems:
            raise ValueError("; ".join(problems))

    def plain(self) -> WorldConfig:
        """The same world with every HTTP trouble turned off: no slow, flaky, failing
        or rate-limiting site (cache hints stay)."""
        return dataclasses.replace(
            self,
            slow_fraction=0.0,
            flaky_fraction=0.0,
            outage_fraction=0.0,
            ratelimit_fraction=0.0,
        )

    def with_values(self, **raw: Any) -> WorldConfig:
        """A copy with fields set from strings or values (`--set name=value` on the CLI)."""
        fields = {f.name: f for f in dataclasses.fields(self)}
        values: dict[str, Any] = {}
        for name, value in raw.items():
            if name not in fields:
                raise ValueError(f"unknown world setting {name!r}")
            current = getattr(self, name)
            if isinstance(value, str):
                value = _coerce(value, current, str(fields[name].type))
            values[name] = value
        return dataclasses.replace(self, **values)


def _coerce(raw: str, like: Any, declared: str) -> Any:
    if isinstance(like, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(like, tuple):
        return tuple(float(part) for part in raw.split(","))
    if isinstance(like, dict):
        pairs = (part.split(":", 1) for part in raw.split(",") if part)
        return {key.strip(): float(weight) for key, weight in pairs}
    if like is None:  # an optional field left unset: its declared type says what it holds
        return int(raw) if declared.startswith("int") else raw
    return type(like)(raw)
