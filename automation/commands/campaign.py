"""`creative-flow campaign-csv` and `mass-create`: write campaign CSVs, then apply them."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from automation.commands.common import (
    DebugOpt,
    DetachOpt,
    HeadedOpt,
    JsonOpt,
    LiveOpt,
    QueueUrlOpt,
    SlowmoOpt,
    TraceOpt,
    app_context,
    browser_settings,
    console,
    print_json,
)
from automation.errors import ConfigError, PartialFailure
from automation.wording import plural
from tracking.campaign_formats import (
    TEMPLATE_FIELDS,
    TJ_MACROS,
    CampaignFormat,
    unknown_placeholders,
)
from tracking.library_cache import LibraryCache
from tracking.runs import new_run_id
from tracking.workspace import Workspace

# pandas and Playwright load only when a command runs, not for --help.
if TYPE_CHECKING:
    from automation.settings import Settings
    from automation.uploaders.trafficjunky.mass_create_jobs import CampaignJob, JobResult
    from tracking.campaign_csv import AdText, CampaignResult
    from tracking.campaign_select import ReviewFilter, Selection

FormatOpt = Annotated[
    CampaignFormat,
    typer.Option(
        "--format", "-f", help="Template: native, preroll, video-banner or static-banner."
    ),
]
# How campaign-csv and exo-ads choose creatives (the same options for both).
StatusOpt = Annotated[
    str | None,
    typer.Option("--status", metavar="approved", help="Only creatives the platform approved."),
]
ReviewOpt = Annotated[
    str | None,
    typer.Option(
        "--status",
        metavar="approved|pending|any",
        help="Review statuses to include (default: approved and pending, never rejected).",
    ),
]
SinceOpt = Annotated[
    str | None, typer.Option("--since", metavar="DATE", help="Processed on/after DATE.")
]
RunOpt = Annotated[
    list[str] | None,
    typer.Option("--run", metavar="RUN_ID", help="Creatives proven by this upload run."),
]
IdsOpt = Annotated[
    list[str] | None,
    typer.Option("--ids", help="Unique or pair IDs, comma-separated (repeatable)."),
]


def check_target_url(template: str) -> None:
    """A usable http(s) URL whose every `{...}` is a known macro or template field."""
    if not template.startswith(("http://", "https://")):
        raise ConfigError(f"--target-url {template!r} must start with http:// or https://")
    unknown = unknown_placeholders(template)
    if unknown:
        known = ", ".join(f"{{{m}}}" for m in sorted(TJ_MACROS))
        fields = ", ".join(f"{{{f}}}" for f in TEMPLATE_FIELDS)
        raise ConfigError(
            f"--target-url has unknown macro {', '.join(unknown)}; TrafficJunky macros: "
            f"{known}; filled per ad: {fields}"
        )


def approved_only(status: str | None) -> bool:
    """--status: only `approved` is a filter (anything else is a typo worth stopping for)."""
    if status is None:
        return False
    if status.strip().lower() != "approved":
        raise ConfigError(f"--status {status!r}: the only status filter is 'approved'")
    return True


def review_filter(status: str | None) -> ReviewFilter:
    """--status of campaign-csv: approved, pending or any; without it, everything not rejected."""
    from tracking.campaign_select import ReviewFilter

    if status is None:
        return ReviewFilter.NOT_REJECTED
    wanted = status.strip().lower()
    choices = (ReviewFilter.APPROVED, ReviewFilter.PENDING, ReviewFilter.ANY)
    for choice in choices:
        if wanted == choice.value:
            return choice
    raise ConfigError(f"--status {status!r}: choose approved, pending or any")


def parse_since(since: str | None) -> date | None:
    if since is None:
        return None
    try:
        return date.fromisoformat(since)
    except ValueError:
        raise ConfigError(f"--since {since!r} is not a date; use YYYY-MM-DD") from None


def parse_ids(ids: list[str] | None) -> frozenset[str] | None:
    """--ids, repeated or comma-separated: unique IDs (ID-..-VID) or pair IDs (ID-XXXXXXXX)."""
    if not ids:
        return None
    return frozenset(part.strip() for item in ids for part in item.split(",") if part.strip())


def load_library(workspace: Workspace) -> LibraryCache | None:
    """The TrafficJunky library cache, or None when none was ever built (checks then skip)."""
    path = workspace.library_csv("trafficjunky")
    return LibraryCache.load(path) if path.exists() else None


def run_campaign_csv(
    workspace: Workspace,
    fmt: CampaignFormat,
    text: AdText,
    selection: Selection,
    *,
    by_category: bool,
    truncate: bool,
    dry_run: bool = False,
) -> CampaignResult:
    """The command's work, without the terminal; a dry run writes nothing in the workspace."""
    from tracking.campaign_csv import FieldLimitError, generate
    from tracking.campaign_select import inventory_frame, run_records

    check_target_url(text.target_url)
    if fmt is CampaignFormat.NATIVE and not text.brand.strip():
        raise ConfigError("native ads need --brand (the Brand Name column is required)")
    runs = run_records(workspace.uploads_dir, selection.runs) if selection.runs else None
    frame = inventory_frame(workspace.inventory_csv)
    with _output_folder(workspace, dry_run) as folder:
        try:
            result = generate(
                frame, fmt, text, folder, selection=selection, runs=runs,
                library=load_library(workspace), by_category=by_category, truncate=truncate,
            )  # fmt: skip
        except FieldLimitError as exc:
            raise ConfigError(str(exc)) from None
    if dry_run:
        # The names the files would have in the campaigns folder.
        where = workspace.campaigns_dir
        result.files = [replace(f, path=where / f.path.name) for f in result.files]
    return result


@contextmanager
def _output_folder(workspace: Workspace, dry_run: bool) -> Iterator[Path]:
    """The campaigns folder, or for a dry run a scratch copy of its batch counter."""
    from tracking.campaign_csv import COUNTER_FILE

    if not dry_run:
        yield workspace.campaigns_dir
        return
    with tempfile.TemporaryDirectory(prefix="campaign-dry-run-") as scratch:
        counter = workspace.campaigns_dir / COUNTER_FILE
        if counter.is_file():
            # Numbered as the real run would number them, without taking the numbers.
            shutil.copy(counter, Path(scratch) / COUNTER_FILE)
        yield Path(scratch)


def register_campaign_csv(app: typer.Typer) -> None:
    @app.command("campaign-csv")
    def campaign_csv(
        ctx: typer.Context,
        target_url: Annotated[
            str,
            typer.Option(
                "--target-url",
                help="Click URL template; TrafficJunky macros like {CampaignID} pass through, "
                "{category} {unique_id} {pair_id} {creative_id} are filled per ad.",
            ),
        ],
        fmt: FormatOpt = CampaignFormat.NATIVE,
        brand: Annotated[str, typer.Option("--brand", help="Brand Name (Native, max 25).")] = "",
        headline: Annotated[
            str, typer.Option("--headline", help="Headline (Native, max 87); default: category.")
        ] = "",
        cta_text: Annotated[
            str, typer.Option("--cta-text", help="Custom CTA Text (Pre-roll, max 25).")
        ] = "",
        by_category: Annotated[
            bool, typer.Option("--by-category", help="One file per category.")
        ] = False,
        since: SinceOpt = None,
        run: RunOpt = None,
        ids: IdsOpt = None,
        status: ReviewOpt = None,
        truncate: Annotated[
            bool, typer.Option("--truncate", help="Cut over-long text fields to the limits.")
        ] = False,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Show the files and ads; write nothing.")
        ] = False,
        json_out: JsonOpt = False,
    ) -> None:
        """Write Mass-create CSVs from the inventory's uploaded creatives.

        Only creatives the platform has not rejected go in unless --status says otherwise;
        every creative left out gets one line saying why.

        Example: creative-flow campaign-csv --format native --by-category --brand Acme
        --target-url 'https://acme.example/?c={CampaignID}&s={SpotID}'
        """
        from automation.commands.campaign_output import result_json, show_result
        from tracking.campaign_csv import AdText
        from tracking.campaign_select import Selection

        workspace = app_context(ctx).workspace
        selection = Selection(
            since=parse_since(since),
            runs=tuple(run or ()),
            ids=parse_ids(ids),
            review=review_filter(status),
        )
        text = AdText(target_url, brand=brand, headline=headline, cta_text=cta_text)
        result = run_campaign_csv(
            workspace, fmt, text, selection, by_category=by_category, truncate=truncate,
            dry_run=dry_run,
        )  # fmt: skip
        if json_out:
            print_json({**result_json(result), "dry_run": dry_run})
        else:
            show_result(result, workspace, dry_run=dry_run)
        if not result.files and not result.skipped:
            raise ConfigError(
                f"no {fmt.value} creatives in {workspace.inventory_csv} match the selection; "
                "run 'creative-flow process' and 'upload' first, or widen --since/--run/--ids"
            )
        if not result.files:
            raise ConfigError(
                f"no {fmt.value} ads to write: none of the {len(result.skipped)} chosen "
                "creative(s) is usable (see 'left out' above)"
            )


def collect_jobs(
    workspace: Workspace, campaigns: list[str], csvs: list[str], mapping: Path | None
) -> list[CampaignJob]:
    """The campaigns to work on, from --campaign/--csv pairs and/or a mapping file."""
    from automation.uploaders.trafficjunky.mass_create_jobs import (
        jobs_from_mapping,
        jobs_from_pairs,
    )

    if len(campaigns) != len(csvs):
        raise ConfigError(
            f"{len(campaigns)} --campaign for {len(csvs)} --csv: give them in pairs "
            "(--campaign ID --csv FILE ...)"
        )
    bad = [c for c in campaigns if not c.strip().isdigit()]
    if bad:
        raise ConfigError(f"--campaign {bad[0]!r} is not a campaign ID (digits)")
    jobs = jobs_from_pairs(campaigns, csvs, workspace.campaigns_dir)
    if mapping is not None:
        jobs += jobs_from_mapping(mapping, workspace.campaigns_dir)
    if not jobs:
        raise ConfigError("nothing to do: give --campaign ID --csv FILE, or --mapping FILE")
    return jobs


def register_mass_create(app: typer.Typer) -> None:
    @app.command("mass-create")
    def mass_create(
        ctx: typer.Context,
        campaign: Annotated[
            list[str] | None,
            typer.Option("--campaign", metavar="ID", help="Campaign ID (pairs with --csv)."),
        ] = None,
        csv_file: Annotated[
            list[str] | None,
            typer.Option("--csv", metavar="FILE", help="Campaign CSV for the --campaign before."),
        ] = None,
        mapping: Annotated[
            Path | None,
            typer.Option(
                "--mapping",
                metavar="FILE",
                help="CSV of campaign_id,csv_filename,campaign_name,enabled.",
            ),
        ] = None,
        live: LiveOpt = False,
        retry_failed: Annotated[
            bool, typer.Option("--retry-failed", help="Redo campaigns that failed before.")
        ] = False,
        fresh: Annotated[
            bool, typer.Option("--fresh", help="Ignore the checkpoint: redo every campaign.")
        ] = False,
        status: StatusOpt = None,
        headed: HeadedOpt = False,
        slowmo: SlowmoOpt = None,
        trace: TraceOpt = False,
        debug: DebugOpt = False,
        json_out: JsonOpt = False,
        queue: QueueUrlOpt = None,
        detach: DetachOpt = False,
    ) -> None:
        """Apply campaign CSVs with "Mass create with CSV" and verify the ads were created.

        Dry run by default (validates the files offline and prints the plan); --live acts.
        With a broker (--queue or CREATIVE_FLOW_BROKER), --live queues one job per campaign for
        `creative-flow worker` (at most CREATIVE_FLOW_MASS_CREATE_SESSIONS browsers at once).
        Writes records/mass_create/upload_summary_<run>.csv and invalid_creatives_<run>.csv.
        Example: creative-flow mass-create --campaign 1012345 --csv Batch001_..._Native.csv --live
        """
        from rich.progress import Progress

        from automation.commands.campaign_output import report_run, show_job
        from automation.uploaders.trafficjunky.mass_create import MassCreate
        from automation.uploaders.trafficjunky.mass_create_jobs import PROBLEM_STATUSES

        state = app_context(ctx)
        jobs = collect_jobs(state.workspace, campaign or [], csv_file or [], mapping)
        settings = browser_settings(
            state.settings, headed=headed, slowmo=slowmo, trace=trace, debug=debug
        ).with_overrides(broker_url=queue)
        run_id = new_run_id()
        if live and settings.broker_url:
            options = {"require_approved": approved_only(status), "retry_failed": retry_failed,
                       "fresh": fresh}  # fmt: skip
            mass_create_queued(settings, run_id, jobs, options, detach=detach, json_out=json_out)
            return
        with Progress(console=console, transient=True, disable=json_out) as progress:
            task = progress.add_task("campaigns", total=len(jobs))

            def on_result(result: JobResult) -> None:
                if not json_out:
                    show_job(result)
                progress.advance(task)

            runner = MassCreate(
                settings, run_id, live=live, require_approved=approved_only(status),
                retry_failed=retry_failed, fresh=fresh, on_result=on_result,
            )  # fmt: skip
            try:
                runner.run(jobs)
            finally:
                report_run(state.workspace, run_id, live, runner.results, json_out)
                if runner.trace_path is not None and not json_out:
                    shown = f"trace: playwright show-trace {runner.trace_path}"
                    console.print(shown, markup=False, soft_wrap=True)
        failed = [r for r in runner.results if r.status in PROBLEM_STATUSES]
        if failed:
            raise PartialFailure(
                f"{len(failed)} of {plural(len(runner.results), 'campaign')} need attention"
            )


def mass_create_queued(
    settings: Settings, run_id: str, jobs: list[CampaignJob], options: dict[str, bool], *,
    detach: bool, json_out: bool,
) -> None:  # fmt: skip
    """mass-create --live through the workers: one job per campaign, reported as a local run."""
    from automation.commands.campaign_output import report_run, show_job
    from automation.commands.mass_create_queue import run_queued
    from automation.uploaders.trafficjunky.mass_create_jobs import PROBLEM_STATUSES

    results = run_queued(settings, run_id, jobs, options, detach=detach, as_json=json_out)
    if results is None:  # detached: the workers go on, `queue status` follows them
        return
    if not json_out:
        for result in results:
            show_job(result)
    report_run(Workspace(settings.workspace), run_id, True, results, json_out)
    failed = [r for r in results if r.status in PROBLEM_STATUSES]
    if failed:
        raise PartialFailure(f"{len(failed)} of {plural(len(results), 'campaign')} need attention")


def register(app: typer.Typer) -> None:
    register_campaign_csv(app)
    register_mass_create(app)
