"""`creative-flow refresh-library` and `sync-status`: read the platform's library back."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn
from rich.table import Table

from automation.commands.common import (
    DebugOpt,
    HeadedOpt,
    JsonOpt,
    SlowmoOpt,
    TraceOpt,
    app_context,
    browser_settings,
    console,
    err_console,
    print_json,
)
from automation.commands.upload import PlatformOpt
from automation.settings import Settings
from automation.uploaders import registry
from automation.uploaders.refresh import (
    RefreshReport,
    SyncReport,
    refresh_library,
    sync_statuses,
)
from tracking.runs import new_run_id
from tracking.schemas import ReviewStatus

DryRunReadOpt = Annotated[
    bool,
    typer.Option("--dry-run", help="Read the platform and show what would change; write nothing."),
]


def _refresh(
    settings: Settings, platform: str, quiet: bool, *, replace: bool = False, dry_run: bool = False
) -> RefreshReport:
    uploader = registry.uploader_for(platform, settings)
    if quiet:
        return refresh_library(uploader, new_run_id(), replace=replace, dry_run=dry_run)
    tasks: dict[str, TaskID] = {}
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        console=err_console,
        transient=True,
    ) as progress:

        def on_page(target: str, page: int, count: int) -> None:
            if target not in tasks:
                tasks[target] = progress.add_task(target, total=None)
            seen = progress.tasks[tasks[target]].completed + count
            progress.update(
                tasks[target],
                completed=seen,
                description=f"{uploader.label} {target}: page {page}, {int(seen)} creatives",
            )

        report = refresh_library(uploader, new_run_id(), on_page, replace=replace, dry_run=dry_run)
    return report


def _refresh_json(report: RefreshReport) -> dict[str, Any]:
    return {
        "counts": report.counts,
        "pages": report.pages,
        "added": [e.creative_id for e in report.diff.added],
        "removed": [e.creative_id for e in report.diff.removed],
        "status_changed": [
            {"creative_id": a.creative_id, "before": b.review_status, "after": a.review_status}
            for b, a in report.diff.status_changed
        ],
        "old_cache_kept_as": str(report.set_aside) if report.set_aside else None,
    }


def _print_refresh(platform: str, report: RefreshReport) -> None:
    label = registry.uploader_for(platform, Settings()).label
    table = Table(title=f"{label} library")
    table.add_column("tab")
    table.add_column("creatives", justify="right")
    for target, count in report.counts.items():
        table.add_row(target, str(count))
    table.add_row("total", str(sum(report.counts.values())))
    console.print(table)
    diff = report.diff
    console.print(
        f"since the last refresh: {len(diff.added)} new, {len(diff.removed)} gone, "
        f"{len(diff.status_changed)} changed review status ({report.pages} pages read)"
    )
    if report.set_aside is not None:
        console.print(f"the old cache is kept as {report.set_aside}", markup=False, soft_wrap=True)


def _print_sync(report: SyncReport) -> None:
    for status in (ReviewStatus.APPROVED, ReviewStatus.REJECTED):
        changed = report.newly(status)
        console.print(f"newly {status}: {len(changed)}")
        for change in changed:
            console.print(f"  {change.creative_id} {change.file_name}", markup=False)
    if report.missing:
        console.print(
            f"{len(report.missing)} recorded ID(s) not in the library any more: "
            + ", ".join(r["unique_id"] for r in report.missing),
            markup=False,
            soft_wrap=True,
        )


def register(app: typer.Typer) -> None:
    @app.command("refresh-library")
    def refresh_library_command(
        ctx: typer.Context,
        platform: PlatformOpt = "trafficjunky",
        json_out: JsonOpt = False,
        headed: HeadedOpt = False,
        slowmo: SlowmoOpt = None,
        trace: TraceOpt = False,
        debug: DebugOpt = False,
        replace: Annotated[
            bool,
            typer.Option(
                "--rebuild",
                help="Replace the cache with what the platform shows (the old file is kept).",
            ),
        ] = False,
        dry_run: DryRunReadOpt = False,
    ) -> None:
        """Page through every library tab to the last page and rebuild the local ID cache.

        A cache that cannot be read is rebuilt too; the damaged file stays beside it.
        Example: creative-flow refresh-library --json
        """
        settings = browser_settings(
            app_context(ctx).settings, headed=headed, slowmo=slowmo, trace=trace, debug=debug
        )
        results = {}
        for name in registry.resolve(platform):
            report = _refresh(settings, name, json_out, replace=replace, dry_run=dry_run)
            results[name] = {**_refresh_json(report), "dry_run": dry_run}
            if not json_out:
                _print_refresh(name, report)
                _print_traces(report.artifacts)
                _print_dry_run(dry_run, "the library cache")
        if json_out:
            print_json(results)

    @app.command("sync-status")
    def sync_status(
        ctx: typer.Context,
        platform: PlatformOpt = "trafficjunky",
        json_out: JsonOpt = False,
        headed: HeadedOpt = False,
        slowmo: SlowmoOpt = None,
        trace: TraceOpt = False,
        debug: DebugOpt = False,
        dry_run: DryRunReadOpt = False,
    ) -> None:
        """Refresh the library, then write review statuses into the inventory by creative ID.

        Example: creative-flow sync-status
        """
        settings = browser_settings(
            app_context(ctx).settings, headed=headed, slowmo=slowmo, trace=trace, debug=debug
        )
        results = {}
        for name in registry.resolve(platform):
            uploader = registry.uploader_for(name, settings)
            refreshed = _refresh(settings, name, json_out, dry_run=dry_run)
            report = sync_statuses(uploader, refreshed, dry_run=dry_run)
            results[name] = {
                "dry_run": dry_run,
                **_refresh_json(report.refresh),
                "newly_approved": [c.__dict__ for c in report.newly(ReviewStatus.APPROVED)],
                "newly_rejected": [c.__dict__ for c in report.newly(ReviewStatus.REJECTED)],
                "changed": len(report.changes),
                "not_in_library": [r["unique_id"] for r in report.missing],
            }
            if not json_out:
                _print_refresh(name, report.refresh)
                _print_sync(report)
                _print_traces(report.refresh.artifacts)
                _print_dry_run(dry_run, "the library cache or the inventory")
        if json_out:
            print_json(results)


def _print_dry_run(dry_run: bool, what: str) -> None:
    if dry_run:
        console.print(f"dry run: nothing was written to {what}")


def _print_traces(artifacts: list) -> None:
    for path in artifacts:
        if str(path).endswith(".zip"):
            console.print(f"trace: playwright show-trace {path}", markup=False, soft_wrap=True)
