"""The `worldwire` command. Each subcommand lives in its own module as a thin shell
over library calls, and registers itself here."""

from __future__ import annotations

import typer

from worldwire.cli import common

app = typer.Typer(
    name="worldwire",
    help="WorldWire: the fastest news updates from around the world.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.callback()(common.root_options)


def _register() -> None:
    # Imported here so that `worldwire --help` stays importable even while a
    # command module is being written.
    from worldwire.cli import cluster, demo, extract, poll, run, settings_cmd, sim, sources_cmd

    for module in (run, demo, poll, sources_cmd, settings_cmd, sim, cluster, extract):
        module.register(app)


_register()


def main() -> None:
    app()
