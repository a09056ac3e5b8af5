"""What every command shares: the global --config option and resolved settings."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from worldwire import settings as settings_mod
from worldwire.errors import SettingsError, WorldWireError

_config_file: str | None = None


def root_options(
    config: Annotated[
        str | None, typer.Option("--config", help="TOML settings file (also WORLDWIRE_CONFIG).")
    ] = None,
) -> None:
    global _config_file
    _config_file = config


def load_settings(**overrides: Any) -> settings_mod.Settings:
    """Settings from defaults, file and environment, with command-line overrides on top.
    A bad setting ends the command with a clear message instead of a traceback."""
    try:
        return settings_mod.load(_config_file).with_overrides(**overrides)
    except SettingsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


@contextlib.contextmanager
def report_errors() -> Iterator[None]:
    """WorldWire's own errors end the command with their message, not a traceback."""
    try:
        yield
    except WorldWireError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
