"""`creative-flow upload`: plan (dry run by default) or upload creatives with proven IDs."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from automation.commands.common import (
    DEFAULT_RETRIES,
    DebugOpt,
    DetachOpt,
    HeadedOpt,
    JsonOpt,
    LiveOpt,
    QueueUrlOpt,
    RetriesOpt,
    SlowmoOpt,
    TraceOpt,
    app_context,
    browser_settings,
    console,
    err_console,
    print_json,
    print_whole,
)
from automation.errors import PartialFailure, is_expected
from automation.uploaders import registry
from automation.uploaders.base import UploadOptions
from automation.uploaders.plan import Disposition, Plan
from automation.uploaders.run import RunReport, UploadRun
from automation.wording import plural
from tracking.runs import new_run_id
from tracking.schemas import UploadStatus

PlatformOpt = Annotated[
    str,
    typer.Option(
        "--platform", "-p", help="Platform name, a comma list, or 'all'.", show_default=True
    ),
]


def register(app: typer.Typer) -> None:
    @app.command()
    def upload(
        ctx: typer.Context,
        paths: Annotated[
            list[str] | None, typer.Argument(help="Files to upload (default: all not uploaded).")
        ] = None,
        files: Annotated[
            list[str] | None,
            typer.Option("--files", help="A file to upload (repeatable; name, path or ID)."),
        ] = None,
        limit: Annotated[
            int | None,
            typer.Option("--limit", min=1, help="At most N files (native pairs never split)."),
        ] = None,
        force: Annotated[
            bool, typer.Option("--force", help="Upload even when the cache has the name.")
        ] = False,
        live: LiveOpt = False,
        retries: RetriesOpt = DEFAULT_RETRIES,
        archive: Annotated[
            bool, typer.Option("--archive", help="Move uploaded files to archive/ once recorded.")
        ] = False,
        platform: PlatformOpt = "trafficjunky",
        json_out: JsonOpt = False,
        headed: HeadedOpt = False,
        slowmo: SlowmoOpt = None,
        trace: TraceOpt = False,
        debug: DebugOpt = False,
        queue: QueueUrlOpt = None,
        detach: DetachOpt = False,
    ) -> None:
        """Upload processed creatives in batches of ten and record their proven IDs.

        Dry run by default: prints the plan and writes dry_run rows. With a broker (--queue or
        CREATIVE_FLOW_BROKER), --live queues one job per batch for `creative-flow worker`
        (one upload at a time into one library tab). Example:
        creative-flow upload --live --limit 20
        """
        state = app_context(ctx)
        settings = browser_settings(
            state.settings, headed=headed, slowmo=slowmo, trace=trace, debug=debug
        ).with_overrides(broker_url=queue)
        options = UploadOptions(
            files=tuple([*(paths or []), *(files or [])]),
            limit=limit,
            force=force,
            live=live,
            retries=retries,
            archive=archive,
        )
        run_id = new_run_id()
        if live and settings.broker_url:
            from automation.commands.upload_queue import run_queued

            platforms = registry.resolve(platform)
            run_queued(settings, platforms, run_id, options, detach=detach, as_json=json_out)
            return
        reports: list[RunReport] = []
        errors: list[Exception] = []
        for name in registry.resolve(platform):
            try:
                reports.append(
                    _run_one(registry.uploader_for(name, settings), run_id, options, json_out)
                )
            except Exception as exc:  # one platform's expected failure never stops the others
                if not is_expected(exc):
                    raise
                errors.append(exc)
        if json_out:
            print_json([_as_json(r) for r in reports])
        _finish(reports, errors, quiet=json_out)


def _run_one(uploader: Any, run_id: str, options: UploadOptions, quiet: bool) -> RunReport:
    run = UploadRun(uploader, run_id, options)
    plan = run.plan()
    if not quiet and not options.live:
        _print_plan(uploader.label, plan)
    hint = None if quiet else spec_hint(uploader.label, plan)
    if hint and not options.live:
        err_console.print(hint, markup=False, soft_wrap=True)
    if quiet or not options.live:
        return run.execute(plan)
    total = sum(len(b.items) for b in plan.batches)
    with Progress(
        TextColumn(f"{uploader.label} upload"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task("upload", total=total)
        run.on_result = lambda result: progress.advance(task)
        report = run.execute(plan)
    _print_results(uploader.label, report)
    if hint:
        err_console.print(hint, markup=False, soft_wrap=True)
    return report


def _print_plan(label: str, plan: Plan) -> None:
    # Rows of one batch share most of their name: the ID, type and target columns are what
    # tells them apart, and the file name is shown whole (never cut, never wrapped).
    table = Table(title=f"{label} upload plan (dry run)")
    for column in ("batch", "ID", "type", "target", "file"):
        table.add_column(column, no_wrap=True)
    table.add_column("plan", overflow="fold")
    for f in plan.files:
        action = {
            Disposition.UPLOAD: "upload",
            Disposition.CACHED: f"skip: duplicate of {f.creative_id}",
        }.get(f.disposition, f"{f.disposition}: {f.note}")
        table.add_row(
            f.batch or "-",
            f.item.unique_id or "-",
            f.item.creative_type or "-",
            f.item.target or "-",
            f.item.path.name,
            action,
        )
    print_whole(table)
    uploads = len(plan.of(Disposition.UPLOAD))
    console.print(
        f"{plural(uploads, 'file')} in {plural(len({b.label for b in plan.batches}), 'batch')}; "
        f"{len(plan.of(Disposition.CACHED))} already in the library; "
        f"{len(plan.of(Disposition.INVALID))} invalid"
        + (f"; {plan.held_back} held back by --limit" if plan.held_back else "")
        + ". Nothing was sent: add --live to upload."
    )


def spec_failures(plan: Plan) -> list[str]:
    """Names of the files the plan refused because they miss the platform's specs."""
    return [
        f.item.path.name
        for f in plan.of(Disposition.INVALID)
        if f.item.path.is_file() and f.note.startswith(f"{f.item.path.name} ")
    ]


def spec_hint(label: str, plan: Plan) -> str | None:
    """The process command that makes creatives meeting every platform, when specs failed."""
    # Imported here: process.py's module is light, and only a failing plan needs it.
    from automation.commands.process import PLATFORM_SPECS

    failed = spec_failures(plan)
    if not failed:
        return None
    every = ",".join(PLATFORM_SPECS)
    return (
        f"hint: {plural(len(failed), 'file')} miss {label}'s specs; make creatives that meet "
        f"every platform with: creative-flow process --platform {every} (processed sources: "
        "add --force and their originals/ path)"
    )


def _print_results(label: str, report: RunReport) -> None:
    counts = ", ".join(f"{s}: {report.count(s)}" for s in UploadStatus if report.count(s))
    if report.pending_from_earlier:
        console.print(
            f"checked {plural(report.pending_from_earlier, 'file')} of an interrupted run first"
        )
    if report.stopped is not None:
        done = f"{counts}; " if counts else ""
        console.print(f"{label}: {done}stopped early (the error is below)")
    else:
        console.print(f"{label}: {counts or 'nothing to upload'}")
    for result in report.results:
        if result.status is UploadStatus.FAILED:
            err_console.print(
                f"failed: {result.item.path.name}: {result.message}", markup=False, soft_wrap=True
            )
    traces = [p for p in report.artifacts if p.suffix == ".zip"]
    for trace in traces:
        console.print(f"trace: playwright show-trace {trace}", markup=False, soft_wrap=True)


def _as_json(report: RunReport) -> dict[str, Any]:
    return {
        "run_id": report.run_id,
        "platform": report.platform,
        "live": report.live,
        "status_csv": str(report.status_csv),
        "counts": {str(s): report.count(s) for s in UploadStatus},
        "interrupted_checked": report.pending_from_earlier,
        "held_back": report.plan.held_back,
        "files": [
            {
                "unique_id": r.item.unique_id,
                "file": r.item.path.name,
                "target": r.item.target,
                "batch": next(
                    (f.batch for f in report.plan.files if f.item.unique_id == r.item.unique_id),
                    "",
                ),
                "status": str(r.status),
                "creative_id": r.proven_id,
                "message": r.message,
                "retries": r.retries,
            }
            for r in report.results
        ],
        "artifacts": [str(p) for p in report.artifacts],
        "hint": spec_hint(report.platform, report.plan),
        "stopped": str(report.stopped) if report.stopped else None,
    }


def _finish(reports: list[RunReport], errors: list[Exception], *, quiet: bool) -> None:
    """Exit code: a stopping error first, then failed files."""
    # Every platform of one command writes into the same run's status file.
    written = dict.fromkeys(r.status_csv for r in reports if r.status_csv is not None)
    for path in written:
        if not quiet and path.exists():
            console.print(f"status: {path}", markup=False, soft_wrap=True)
    stopping: list[Exception] = [*(r.stopped for r in reports if r.stopped is not None), *errors]
    if stopping:
        for other in stopping[1:]:
            err_console.print(f"error: {other}", markup=False, soft_wrap=True)
        raise stopping[0]
    failed = sum(r.count(UploadStatus.FAILED) for r in reports)
    if failed:
        where = ", ".join(str(path) for path in written)
        raise PartialFailure(f"{plural(failed, 'file')} failed; see {where}")
