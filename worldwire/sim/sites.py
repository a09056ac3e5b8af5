"""Who is in the world: one `Site` per news site, planned from a `WorldConfig` and a seed.

Shares of formats, templates and behaviours are allocated exactly (largest
remainder), then shuffled, so that a 20-site world still holds every kind.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass

from worldwire.sim import geography
from worldwire.sim.config import WorldConfig

_FEED_PATHS = {
    ("rss2", "wordpress"): "/feed/",
    ("atom", "wordpress"): "/feed/atom/",
    ("rdf", "wordpress"): "/feed/rdf/",
    "rss2": "/rss.xml",
    "atom": "/atom.xml",
    "jsonfeed": "/feed.json",
    "rdf": "/index.rdf",
    "sitemap": "/news-sitemap.xml",
}


@dataclass(frozen=True, slots=True)
class HttpTraits:
    """How a site behaves over HTTP. World durations are in world seconds."""

    delay: tuple[float, float] | None = None  # slow: real seconds, drawn per request
    flaky_rate: float = 0.0  # share of requests answered 500
    outage: tuple[float, float, float] | None = None  # (every, duration, phase), world s
    outage_status: int = 500  # 503 comes with Retry-After
    ratelimit: tuple[int, float] | None = None  # (requests, window world s) -> 429
    max_age: float | None = None  # Cache-Control: max-age, world s
    ttl: float | None = None  # RSS 2.0 <ttl>, world s (sent in real minutes)

    @property
    def trouble(self) -> str | None:
        if self.delay:
            return "slow"
        if self.flaky_rate:
            return "flaky"
        if self.outage:
            return "outage"
        if self.ratelimit:
            return "ratelimit"
        return None


@dataclass(frozen=True, slots=True)
class Site:
    id: int
    name: str
    kind: str  # feed format: rss2, atom, jsonfeed, rdf or sitemap
    role: str  # wire, regular or daily
    template: str  # wordpress, modern or table
    lang: str
    country: str  # ISO 3166 alpha-2
    city: str
    fulltext: bool  # the feed carries whole articles
    push: bool  # advertises the hub and pushes on publish
    interval: float  # mean world seconds between items
    http: HttpTraits
    feed_path: str
    # Known once the site's socket is bound:
    port: int = 0
    url: str = ""
    feed_url: str = ""
    hub_url: str | None = None

    def bound(self, host: str, port: int, hub_url: str | None) -> Site:
        url = f"http://{host}:{port}/"
        return dataclasses.replace(
            self,
            port=port,
            url=url,
            feed_url=url.rstrip("/") + self.feed_path,
            hub_url=hub_url if self.push else None,
        )


def allocate(n: int, weights: dict[str, float], rng: random.Random) -> list[str]:
    """n labels in the given proportions (largest remainder), shuffled."""
    total = sum(weights.values())
    exact = {k: n * w / total for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    by_remainder = sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)
    for k in by_remainder[: n - sum(counts.values())]:
        counts[k] += 1
    labels = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(labels)
    return labels


def flags(n: int, fraction: float, rng: random.Random) -> list[bool]:
    return [x == "yes" for x in allocate(n, {"yes": fraction, "no": 1.0 - fraction}, rng)]


def plan(cfg: WorldConfig) -> list[Site]:
    rng = random.Random(cfg.seed)
    n = cfg.sites
    n_wire = max(1, round(n * cfg.wire_fraction))
    roles = ["wire"] * n_wire + allocate(
        n - n_wire, {"daily": cfg.daily_fraction, "regular": 1 - cfg.daily_fraction}, rng
    )
    # Wires write English; the foreign share is taken from the other sites.
    foreign = [False] * n_wire + flags(
        n - n_wire, cfg.foreign_fraction * n / max(1, n - n_wire), rng
    )
    kinds = allocate(n, cfg.formats, rng)
    templates = allocate(n, cfg.templates, rng)
    fulltext = flags(n, cfg.fulltext_fraction, rng)
    feeds = [i for i in range(n) if kinds[i] != "sitemap"]
    pushing = set(rng.sample(feeds, min(len(feeds), round(n * cfg.push_fraction))))
    troubles = allocate(n, _trouble_weights(cfg), rng)
    hinted = flags(n, cfg.cache_hint_fraction, rng)
    places = geography.by_language()
    foreign_langs = [lang for lang in geography.LANGUAGES if lang != "en"]
    intervals = {
        "wire": cfg.wire_interval,
        "regular": cfg.regular_interval,
        "daily": cfg.daily_interval,
    }
    sites = []
    for i in range(n):
        lang = rng.choice(foreign_langs) if foreign[i] else "en"
        country, city = rng.choice(places[lang])
        role = roles[i]
        # Wires come first, so a wire's id is also its index among wires.
        name = geography.wire_name(i) if role == "wire" else geography.paper_name(rng, lang, city)
        # A little spread, so that sites of one role do not publish in lockstep.
        interval = intervals[role] * rng.uniform(0.7, 1.3)
        sites.append(
            Site(
                id=i,
                name=name,
                kind=kinds[i],
                role=role,
                template=templates[i],
                lang=lang,
                country=country,
                city=city,
                fulltext=fulltext[i] and kinds[i] != "sitemap",
                push=i in pushing,
                interval=interval,
                http=_traits(cfg, rng, troubles[i], hinted[i], kinds[i], interval),
                feed_path=_FEED_PATHS.get((kinds[i], templates[i]), _FEED_PATHS[kinds[i]]),
            )
        )
    return _unique_names(sites)


def _trouble_weights(cfg: WorldConfig) -> dict[str, float]:
    weights = {
        "slow": cfg.slow_fraction,
        "flaky": cfg.flaky_fraction,
        "outage": cfg.outage_fraction,
        "ratelimit": cfg.ratelimit_fraction,
    }
    weights["none"] = max(0.0, 1.0 - sum(weights.values()))
    return weights


def _traits(
    cfg: WorldConfig, rng: random.Random, trouble: str, hinted: bool, kind: str, interval: float
) -> HttpTraits:
    traits = HttpTraits()
    if trouble == "slow":
        traits = HttpTraits(delay=cfg.slow_delay)
    elif trouble == "flaky":
        traits = HttpTraits(flaky_rate=cfg.flaky_rate)
    elif trouble == "outage":
        phase = rng.uniform(0, cfg.outage_every)
        status = rng.choice((500, 503))
        traits = HttpTraits(
            outage=(cfg.outage_every, cfg.outage_duration, phase), outage_status=status
        )
    elif trouble == "ratelimit":
        traits = HttpTraits(ratelimit=(cfg.ratelimit_requests, cfg.ratelimit_window))
    if hinted:
        # A polite hint never longer than a fraction of the site's own publishing gap.
        hint = min(3600.0, interval * rng.uniform(0.05, 0.25))
        if kind == "rss2" and rng.random() < 0.5:
            traits = dataclasses.replace(traits, ttl=hint)
        else:
            traits = dataclasses.replace(traits, max_age=hint)
    return traits


def _unique_names(sites: list[Site]) -> list[Site]:
    seen: dict[str, int] = {}
    out = []
    for site in sites:
        count = seen.get(site.name, 0) + 1
        seen[site.name] = count
        out.append(site if count == 1 else dataclasses.replace(site, name=f"{site.name} {count}"))
    return out
