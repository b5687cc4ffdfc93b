"""Mass-create jobs and their outcomes: which campaign gets which CSV, and what happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from automation.uploaders.trafficjunky.campaign_pages import CsvIssue
from tracking import mass_create_records as records
from tracking.mass_create_journal import MassCreateEntry, PlannedAd


class JobStatus(StrEnum):
    """Outcome of one campaign in a run (the summary's `status`)."""

    SUCCESS = "success"
    FAILED = "failed"
    COUNT_MISMATCH = "count_mismatch"
    INVALID_CSV = "invalid_csv"
    SKIPPED = "skipped"
    DISABLED = "disabled"
    DRY_RUN = "dry_run"


PROBLEM_STATUSES = frozenset({JobStatus.FAILED, JobStatus.COUNT_MISMATCH, JobStatus.INVALID_CSV})


@dataclass(frozen=True)
class CampaignJob:
    """One campaign and the CSV to apply to it."""

    campaign_id: str
    csv_file: Path
    campaign_name: str = ""
    enabled: bool = True


@dataclass
class JobResult:
    """What happened to one campaign; `notes` are lines worth showing (dry-run plan, warnings)."""

    job: CampaignJob
    status: JobStatus
    submitted: int = 0
    ads_created: int = 0
    error: str = ""
    invalid: list[CsvIssue] = field(default_factory=list)
    cleaned_csv: Path | None = None
    notes: list[str] = field(default_factory=list)
    confirmed: bool = False  # the preview's confirm was pressed: ads may exist from here on
    journaled: MassCreateEntry | None = None  # the submission as the journal holds it
    already: list[PlannedAd] = field(default_factory=list)  # made by an interrupted run
    unverified: bool = False  # confirmed, then not counted: left to the next run to reconcile


def action_for(reason: str) -> str:
    """What a person should do about a creative the platform refused."""
    text = reason.lower()
    if "content category" in text:
        return "use it in a campaign of its content category, or leave it out"
    if "not found" in text:
        return "check the ID; run 'creative-flow refresh-library'"
    if "rejected" in text:
        return "replace the creative; it was rejected in review"
    if "is not a" in text or "creatives are not" in text:  # a creative of another type
        return "use a creative of the template's type"
    return "check the creative on the platform"


def resolve_csv(name: str, *folders: Path) -> Path:
    """A CSV named in a mapping or on the command line: as given, else in `folders`."""
    path = Path(name).expanduser()
    if path.is_absolute() or path.exists():
        return path.absolute()  # records name the file wherever the next run starts from
    for folder in folders:
        if (folder / name).exists():
            return folder / name
    return path


def jobs_from_pairs(
    campaigns: list[str], csvs: list[str], campaigns_dir: Path
) -> list[CampaignJob]:
    """--campaign/--csv pairs, in order."""
    # A path like records/campaigns/X.csv is also looked up from the workspace folder.
    workspace = campaigns_dir.parent.parent
    return [
        CampaignJob(c, resolve_csv(f, campaigns_dir, workspace))
        for c, f in zip(campaigns, csvs, strict=True)
    ]


def jobs_from_mapping(path: Path, campaigns_dir: Path) -> list[CampaignJob]:
    """The campaigns of a mapping CSV; file names are relative to the mapping or campaigns dir."""
    return [
        CampaignJob(
            row.campaign_id,
            resolve_csv(row.csv_filename, path.parent, campaigns_dir),
            row.campaign_name,
            row.enabled,
        )
        for row in records.read_mapping(path)
    ]
