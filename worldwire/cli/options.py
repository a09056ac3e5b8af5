"""Options shared by several commands, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

Db = Annotated[str | None, typer.Option("--db", help="Database file (setting: db).")]
SourcesFile = Annotated[
    str | None,
    typer.Option(
        "--sources", help="Source list (OPML, YAML or TOML) replacing the bundled world list."
    ),
]
Host = Annotated[str | None, typer.Option("--host", help="Address to listen on.")]
Port = Annotated[int | None, typer.Option("--port", help="Port to listen on.")]
AllowNet = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-net",
        help="Host or CIDR that outbound requests may reach although private or "
        "loopback (repeatable; adds to allow_networks).",
    ),
]
PublicUrl = Annotated[
    str | None,
    typer.Option("--public-url", help="URL where readers and WebSub hubs reach this instance."),
]


def allow(extra: list[str] | None, current: tuple[str, ...]) -> tuple[str, ...] | None:
    """--allow-net adds to the allow-list from the settings instead of replacing it."""
    return (*current, *extra) if extra else None
