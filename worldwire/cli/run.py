"""`worldwire run`: one process that polls, stores and serves."""

from __future__ import annotations

import typer
import uvloop

from worldwire import logs
from worldwire.cli import options
from worldwire.cli.common import load_settings, report_errors


def run(
    db: options.Db = None,
    sources: options.SourcesFile = None,
    host: options.Host = None,
    port: options.Port = None,
    allow_net: options.AllowNet = None,
    public_url: options.PublicUrl = None,
) -> None:
    """Poll the sources and serve the front page, the API and the live stream."""
    base = load_settings()
    settings = load_settings(
        db=db,
        sources=sources,
        host=host,
        port=port,
        allow_networks=options.allow(allow_net, base.allow_networks),
        public_url=public_url,
    )
    logs.setup(settings.log_level, settings.log_format)
    from worldwire import service  # heavy (web app): imported only when running

    with report_errors():
        uvloop.run(service.serve(settings))


def register(app: typer.Typer) -> None:
    app.command()(run)
