"""Every setting WorldWire reads, declared once with its type, default and help.

Values come from, in rising order of precedence: the defaults below, a TOML file
(`WORLDWIRE_CONFIG` or `--config`), `WORLDWIRE_<NAME>` environment variables, and
command-line options. `docs/settings.md` documents each one; a test keeps it true.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from worldwire.errors import SettingsError

ENV_PREFIX = "WORLDWIRE_"
REPO_ROOT = Path(__file__).resolve().parent.parent


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {raw!r}")


def _parse_list(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


_PARSERS: dict[type, Callable[[str], Any]] = {
    str: str,
    int: int,
    float: float,
    bool: _parse_bool,
    tuple: _parse_list,
}


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()

    def coerce(self, value: Any) -> Any:
        """Turn a raw environment string or TOML value into this setting's type."""
        if isinstance(value, str) and self.type is not str:
            return _PARSERS[self.type](value)
        if self.type is float and isinstance(value, int):
            return float(value)
        if self.type is tuple and isinstance(value, (list, tuple)):
            return tuple(str(v) for v in value)
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            raise TypeError(f"expected {self.type.__name__}, got {type(value).__name__}")
        return value


def _default_data_dir() -> str:
    # Run from a checkout, data lives beside the code (ignored by git);
    # installed elsewhere, it goes to the platform's data directory.
    if (REPO_ROOT / "pyproject.toml").exists() and (REPO_ROOT / ".git").exists():
        return str(REPO_ROOT / "data")
    return platformdirs.user_data_dir("worldwire")


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True)
class Settings:
    """The resolved value of every setting. Each field is one setting, with its help."""

    data_dir: str = _setting(
        "",
        "Directory for the database and caches. Empty means ./data "
        "when run from a checkout, else the platform data directory.",
    )
    db: str = _setting("", "Database path (SQLite). Empty means worldwire.db in data_dir.")
    sources: str = _setting(
        "",
        "Source list (OPML, YAML or TOML) that replaces the bundled "
        "world list. Empty means the bundled list.",
    )
    host: str = _setting("127.0.0.1", "Address the web server listens on.")
    port: int = _setting(8080, "Port the web server listens on.")
    public_url: str = _setting(
        "",
        "The URL where readers and WebSub hubs reach this instance. "
        "Push (WebSub) subscriptions are made only when it is set.",
    )
    websub_backup_poll: float = _setting(
        3600.0,
        "While push (WebSub) delivers a source's news, poll it this rarely as a backup (s).",
    )
    websub_grace: float = _setting(
        60.0,
        "Seconds a push may lag behind a poll that found a new item; after that, push "
        "is judged broken: normal polling resumes and the subscription is renewed afresh.",
    )
    websub_allow_sha1: bool = _setting(
        False, "Accept WebSub deliveries signed with SHA-1 (too weak; refused by default)."
    )
    allow_networks: tuple[str, ...] = _setting(
        (),
        "Hosts or CIDRs that outbound requests may reach "
        "although they are private, loopback or reserved "
        "(comma-separated), e.g. 127.0.0.1.",
    )
    operator_url: str = _setting(
        "https://github.com/worldwire/worldwire",
        "Contact URL put in the User-Agent so that publishers can reach the operator.",
    )
    fetch_connect_timeout: float = _setting(10.0, "Seconds allowed to open a connection.")
    fetch_deadline: float = _setting(
        30.0,
        "Total seconds a request may take, redirects and body "
        "included; a slow-drip server is cut off here.",
    )
    fetch_max_bytes: int = _setting(15 * 1024 * 1024, "Largest decoded body accepted (bytes).")
    fetch_max_redirects: int = _setting(5, "Redirect hops followed; each hop is re-checked.")
    fetch_per_host: int = _setting(2, "Concurrent requests to one host (politeness).")
    fetch_concurrency: int = _setting(256, "Concurrent outbound requests in all.")
    poll_floor: float = _setting(15.0, "Shortest interval between polls of one source (s).")
    poll_ceiling: float = _setting(
        4 * 3600.0, "Longest interval between polls of a quiet source (s)."
    )
    poll_initial: float = _setting(
        300.0, "Interval for a source whose publishing rate is not known yet (s)."
    )
    poll_jitter: float = _setting(0.1, "Random spread applied to each interval, as a fraction.")
    poll_batch: int = _setting(500, "Due sources claimed from the store at a time.")
    backoff_base: float = _setting(
        60.0, "Interval after a first failure (s); it doubles with each further failure."
    )
    backoff_ceiling: float = _setting(
        3600.0,
        "Longest interval after failures (s), so that a "
        "source that recovers is noticed within this time.",
    )
    lease_seconds: float = _setting(120.0, "How long a claimed source stays leased to a worker.")
    stream_keepalive: float = _setting(
        15.0, "Seconds of silence after which the live stream sends a keep-alive comment."
    )
    read_pages: bool = _setting(
        True, "Fetch and extract each new article's page (off: keep the feed's text only)."
    )
    read_concurrency: int = _setting(32, "Article pages fetched at once.")
    read_backlog: int = _setting(
        5000, "Article pages waiting to be read before polling waits for them (backpressure)."
    )
    extract_workers: int = _setting(
        0, "Processes that extract article pages; 0 means one per CPU core."
    )
    cluster_restore_hours: float = _setting(
        24.0, "On start, the clusterer relearns the stories of this many recent hours."
    )
    cluster_restore_max: int = _setting(
        20000, "At most this many recent articles are relearnt on start (start-up time)."
    )
    events_keep_days: float = _setting(
        7.0,
        "Days the event log keeps events; a live reader away longer than this resumes "
        "from what is left.",
    )
    log_level: str = _setting("INFO", "Logging level: DEBUG, INFO, WARNING or ERROR.")
    log_format: str = _setting("text", "Log format: text (for people) or json (one object a line).")

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir or _default_data_dir())

    @property
    def db_path(self) -> str:
        return self.db or str(self.data_path / "worldwire.db")

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with command-line values applied; None means 'not given'."""
        values: dict[str, Any] = {}
        for name, value in overrides.items():
            if value is None:
                continue
            if name not in _BY_NAME:
                raise SettingsError(f"unknown setting {name!r}")
            values[name] = _coerce_or_raise(_BY_NAME[name], value, "option")
        return dataclasses.replace(self, **values)


def _registry() -> tuple[Setting, ...]:
    hints = typing.get_type_hints(Settings)
    registry = []
    for f in dataclasses.fields(Settings):
        kind = typing.get_origin(hints[f.name]) or hints[f.name]
        registry.append(Setting(f.name, kind, f.default, f.metadata["help"]))
    return tuple(registry)


REGISTRY = _registry()
_BY_NAME = {s.name: s for s in REGISTRY}


def _coerce_or_raise(setting: Setting, raw: Any, where: str) -> Any:
    try:
        return setting.coerce(raw)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"{where}: setting {setting.name}: {exc}") from exc


def load(config_file: str | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Resolve every setting from the defaults, the TOML file and the environment."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = config_file or env.get(ENV_PREFIX + "CONFIG")
    if path:
        try:
            with open(path, "rb") as fh:
                table = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"cannot read settings file {path}: {exc}") from exc
        for name, raw in table.get("worldwire", table).items():
            if name not in _BY_NAME:
                raise SettingsError(f"{path}: unknown setting {name!r}")
            values[name] = _coerce_or_raise(_BY_NAME[name], raw, path)
    for setting in REGISTRY:
        if setting.env in env:
            values[setting.name] = _coerce_or_raise(setting, env[setting.env], setting.env)
    return Settings(**values)
