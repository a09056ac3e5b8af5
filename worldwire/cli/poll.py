"""`worldwire poll --once`: poll every due source once, then exit."""

from __future__ import annotations

import time
from typing import Any

import typer
import uvloop
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from worldwire import logs
from worldwire.cli import options
from worldwire.cli.common import load_settings, report_errors


def poll(
    once: bool = typer.Option(True, "--once/--no-once", help="Poll every due source once."),
    db: options.Db = None,
    sources: options.SourcesFile = None,
    allow_net: options.AllowNet = None,
) -> None:
    """Poll every due source once with a progress bar, then print a summary. Exits 0
    even when some sources failed: each failure is recorded on its source."""
    base = load_settings()
    settings = load_settings(
        db=db, sources=sources, allow_networks=options.allow(allow_net, base.allow_networks)
    )
    logs.setup(
        "ERROR" if settings.log_level.upper() == "INFO" else settings.log_level, settings.log_format
    )
    from worldwire import service  # heavy: imported only when polling
    from worldwire.pipeline import PollReport

    console = Console(stderr=True)
    reports: list[PollReport] = []
    started = time.perf_counter()
    with report_errors():
        due = _due_count(settings.db_path)
        with Progress(
            TextColumn("polling"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("poll", total=due or None)

            def on_poll(report: PollReport) -> None:
                reports.append(report)
                progress.update(task, advance=1, total=max(due, len(reports)))

            uvloop.run(service.poll_once(settings, on_poll=on_poll))
    _summary(Console(), reports, time.perf_counter() - started)


def _due_count(db_path: str) -> int:
    from worldwire.store import SQLiteStore

    store = SQLiteStore(db_path)
    try:
        now = time.time()
        return sum(1 for s in store.list_sources_blocking() if s.enabled and s.next_check_at <= now)
    finally:
        store.close_blocking()


def _summary(console: Console, reports: list[Any], elapsed: float) -> None:
    failed = [r for r in reports if r.error]
    new = sum(r.new_items for r in reports)
    table = Table(title=f"Polled {len(reports)} sources in {elapsed:.1f} s")
    table.add_column("result")
    table.add_column("sources", justify="right")
    table.add_column("new articles", justify="right")
    for label, group in (
        ("new items", [r for r in reports if r.new_items]),
        ("unchanged (304 or nothing new)", [r for r in reports if not r.error and not r.new_items]),
        ("failed", failed),
    ):
        table.add_row(label, str(len(group)), str(sum(r.new_items for r in group)))
    table.add_row("total", str(len(reports)), str(new), style="bold")
    console.print(table)
    if failed:
        errors = Table(title="Failures (recorded on each source)")
        errors.add_column("source")
        errors.add_column("error")
        for r in failed[:30]:
            errors.add_row(f"{r.source_id} {r.name}"[:50], r.error[:120])
        if len(failed) > 30:
            errors.add_row("…", f"and {len(failed) - 30} more: see `worldwire sources list`")
        console.print(errors)


def register(app: typer.Typer) -> None:
    app.command()(poll)
