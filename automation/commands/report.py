"""`creative-flow report`: one self-contained HTML page of every creative and where it went."""

from __future__ import annotations

import webbrowser
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from automation.commands.common import (
    JsonOpt,
    app_context,
    console,
    err_console,
    print_json,
)
from automation.commands.stats_views import DaysOpt, MinImpressionsOpt
from automation.wording import plural

if TYPE_CHECKING:
    from automation.report import ReportResult


def _show(result: ReportResult) -> None:
    console.print(f"[bold]Report[/] {result.path}")
    _show_counts(result)
    if result.missing_thumbnails:
        console.print(
            f"  [yellow]note[/] {result.missing_thumbnails} creative(s) without a preview "
            "(file in neither processed/ nor archive/, or unreadable)"
        )
    _show_performance(result)
    for warning in result.data.warnings:
        console.print(f"  [yellow]note[/] {escape(warning)}")
    console.print(f"  latest copy: {result.latest}")


def _show_counts(result: ReportResult) -> None:
    totals = result.data.totals()
    console.print(
        f"  {totals['creatives']} creatives ({totals['pairs']} native pairs), "
        f"{totals['uploaded']} uploaded; {plural(len(result.data.runs), 'recent upload run')}"
    )
    console.print(f"  {result.data.status_text()}", markup=False)


def _show_performance(result: ReportResult) -> None:
    """One line on the performance the report shows (or that there is none yet)."""
    summary = result.summary()["performance"]
    view = result.data.performance
    if view is not None and view.problem:
        console.print("  performance: left out, the stats records cannot be read (see the note)")
    elif not isinstance(summary, dict):
        console.print("  performance: no stats yet (run `creative-flow stats --days 7` first)")
    elif summary["creatives_with_stats"]:
        console.print(
            f"  performance {summary['first']} to {summary['last']}: "
            f"{summary['ranked']} creative(s) ranked by CTR, "
            f"{summary['small_samples']} small sample(s) under "
            f"{summary['min_impressions']:,} impressions",
            markup=False,
        )


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        ctx: typer.Context,
        open_it: bool = typer.Option(
            False, "--open", help="Open the report in your web browser when written."
        ),
        json_out: JsonOpt = False,
        dry_run: bool = typer.Option(
            False, "--dry-run", help="Count what the report would show; write nothing."
        ),
        days: DaysOpt = None,
        min_impressions: MinImpressionsOpt = None,
    ) -> None:
        """Write an HTML report of every creative: preview, IDs, review status, recent runs.

        The file (reports/report-<time>.html, and a copy as report-latest.html) holds its
        previews inline, so it can be mailed or opened offline. With stats recorded
        (`creative-flow stats`), every card shows its CTR and a table ranks each attribute.

        Example: creative-flow report --open
        """
        # Pillow loads only when a report is built, not for --help.
        from automation.report import build_report

        state = app_context(ctx)
        threshold = state.settings.min_impressions if min_impressions is None else min_impressions
        result = build_report(state.workspace, jobs=state.settings.jobs, dry_run=dry_run,
                              min_impressions=threshold, days=days)  # fmt: skip
        if json_out:
            print_json({**result.summary(), "dry_run": dry_run})
        elif dry_run:
            _show_counts(result)
            console.print(f"dry run: nothing written (the report would be {result.path})")
        else:
            _show(result)
        if open_it and not dry_run and not webbrowser.open(result.latest.resolve().as_uri()):
            err_console.print(
                f"no web browser found to open it; open {result.latest.resolve()} yourself",
                markup=False,
            )
