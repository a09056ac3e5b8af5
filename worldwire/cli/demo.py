"""`worldwire demo`: WorldWire on a simulated world, offline."""

from __future__ import annotations

from typing import Annotated

import typer

from worldwire import logs
from worldwire.cli import options
from worldwire.cli.common import load_settings, report_errors


def demo(
    sites: Annotated[int, typer.Option(help="Simulated news sites (10 to 10,000).")] = 300,
    host: options.Host = None,
    port: options.Port = None,
) -> None:
    """Start a simulated world of news sites and a WorldWire reading it; print its URL."""
    settings = load_settings(host=host, port=port)
    logs.setup(
        "WARNING" if settings.log_level.upper() == "INFO" else settings.log_level,
        settings.log_format,
    )
    from worldwire import demo as demo_mod  # starts processes: imported only when used

    with report_errors():
        demo_mod.run(settings, sites)


def register(app: typer.Typer) -> None:
    app.command()(demo)
