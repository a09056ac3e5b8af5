"""`worldwire sim`: run the simulated world of news sites on its own."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from worldwire.sim.config import WorldConfig
from worldwire.sim.runner import run


def sim(
    sites: Annotated[int, typer.Option(help="Number of news sites (10 to 10,000).")] = 100,
    speedup: Annotated[float, typer.Option(help="World time runs this many times faster.")] = 1.0,
    seed: Annotated[int, typer.Option(help="Same seed, same world.")] = 1,
    push_fraction: Annotated[
        float, typer.Option(help="Share of sites that advertise the hub and push.")
    ] = 0.0,
    truth: Annotated[
        Path | None, typer.Option(help="Append the ground truth here (JSON Lines).")
    ] = None,
    port_base: Annotated[
        int, typer.Option(help="Site i listens on PORT_BASE+i, the hub on PORT_BASE+N (0: any).")
    ] = 0,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    plain: Annotated[
        bool, typer.Option("--plain", help="No slow, flaky, failing or rate-limiting sites.")
    ] = False,
    settings: Annotated[
        list[str] | None,
        typer.Option("--set", help="Any WorldConfig field, as NAME=VALUE (repeatable)."),
    ] = None,
) -> None:
    """Run a simulated world of news sites on 127.0.0.1 and print its OPML address list.

    Runs until Ctrl-C or SIGTERM. The OPML on stdout ends with </opml> once every
    site listens.
    """
    try:
        cfg = WorldConfig(sites=sites, speedup=speedup, seed=seed, push_fraction=push_fraction,
                          port_base=port_base, host=host)  # fmt: skip
        if plain:
            cfg = cfg.plain()
        pairs = dict(item.split("=", 1) for item in settings or [] if "=" in item)
        if len(pairs) != len(settings or []):
            raise ValueError("--set takes NAME=VALUE")
        cfg = cfg.with_values(**pairs)
    except (TypeError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    run(cfg, truth)


def register(app: typer.Typer) -> None:
    app.command()(sim)
