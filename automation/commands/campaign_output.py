"""What the campaign commands print: tables, per-campaign lines, JSON."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict

from rich.table import Table

from automation.commands.common import console, print_json
from automation.uploaders.trafficjunky.mass_create_jobs import JobResult, JobStatus
from automation.wording import plural
from tracking import mass_create_records as records
from tracking.campaign_csv import CampaignResult
from tracking.workspace import Workspace


def show_result(result: CampaignResult, workspace: Workspace, *, dry_run: bool = False) -> None:
    if result.files:
        table = Table(
            title="campaign CSVs it would write (dry run)" if dry_run else "campaign CSVs written"
        )
        for column in ("file", "batch", "part", "ads", "bytes"):
            table.add_column(column, justify="left" if column == "file" else "right")
        for f in result.files:
            part = f"{f.part}/{f.parts}" if f.part else "-"
            table.add_row(f.path.name, f"{f.batch:03d}", part, str(f.ads), str(f.bytes))
        console.print(table)
        console.print(
            f"{plural(result.ads, 'ad')} in {plural(len(result.files), 'file')} "
            f"in {workspace.campaigns_dir}"
            + ("; dry run: nothing was written (drop --dry-run to write them)" if dry_run else "")
        )
    for s in result.skipped:
        style = "red" if s.problem else "yellow"
        console.print(f"[{style}]left out[/] {s.unique_id}: ", end="", soft_wrap=True)
        console.print(s.reason, soft_wrap=True, markup=False)
    if result.skipped:
        counts = ", ".join(f"{n} {kind}" for kind, n in left_out_counts(result).items())
        console.print(f"left out {plural(len(result.skipped), 'creative')}: {counts}", markup=False)


def left_out_counts(result: CampaignResult) -> dict[str, int]:
    """How many creatives were left out, by reason, most common first."""
    counts = Counter(str(s.kind) for s in result.skipped)
    return dict(counts.most_common())


def result_json(result: CampaignResult) -> dict[str, object]:
    return {
        "files": [{**asdict(f), "path": str(f.path)} for f in result.files],
        "ads": result.ads,
        "skipped": [asdict(s) for s in result.skipped],
        "left_out": left_out_counts(result),
    }


STATUS_STYLE = {
    JobStatus.SUCCESS: "green", JobStatus.DRY_RUN: "cyan", JobStatus.SKIPPED: "yellow",
    JobStatus.DISABLED: "yellow",
}  # fmt: skip


def show_job(result: JobResult) -> None:
    """One campaign's outcome as a person reads it, with its notes and refused creatives."""
    job = result.job
    name = f" ({job.campaign_name})" if job.campaign_name else ""
    style = STATUS_STYLE.get(result.status, "red")
    if result.status is JobStatus.DRY_RUN:
        counts = f"{plural(result.submitted, 'ad')} to create"
    elif result.submitted:
        counts = f"{result.ads_created} of {plural(result.submitted, 'ad')} created"
    else:
        counts = ""
    line = f"campaign {job.campaign_id}{name}: [{style}]{result.status.value}[/] {counts}"
    console.print(f"{line} - {job.csv_file.name}", soft_wrap=True)
    for text in ([result.error] if result.error else []) + result.notes:
        console.print(f"  {text}", soft_wrap=True, markup=False)
    for issue in result.invalid:
        console.print(f"  refused creative {issue.creative_id}: {issue.message}", markup=False)
    if result.cleaned_csv and result.cleaned_csv.exists():
        console.print(f"  cleaned CSV: {result.cleaned_csv}", markup=False)


def job_json(result: JobResult) -> dict[str, object]:
    return {
        "campaign_id": result.job.campaign_id,
        "campaign_name": result.job.campaign_name,
        "csv_file": str(result.job.csv_file),
        "status": result.status.value,
        "submitted": result.submitted,
        "ads_created": result.ads_created,
        "error": result.error,
        "notes": result.notes,
        "invalid_creatives": [asdict(i) for i in result.invalid],
        "cleaned_csv": str(result.cleaned_csv) if result.cleaned_csv else None,
    }


def report_run(
    workspace: Workspace, run_id: str, live: bool, results: list[JobResult], json_out: bool
) -> None:
    summary = records.summary_path(workspace.records, run_id)
    if json_out:
        print_json({
            "run_id": run_id, "live": live, "summary_csv": str(summary),
            "invalid_creatives_csv": str(records.invalid_path(workspace.records, run_id)),
            "campaigns": [job_json(r) for r in results],
        })  # fmt: skip
    else:
        console.print(f"summary: {summary}", markup=False)
