"""What a mass-create run writes in its journal, and how a rerun resumes an interrupted one.

The platform names an ad only by the name the CSV gave it, so a submission is identified by its
ads' names: the journal keeps them with how many ads of each name the campaign held before, and
the ads of those names the campaign holds now, beyond that count, are the ones it created.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pandas import DataFrame

from automation.uploaders.trafficjunky.mass_create_jobs import CampaignJob, JobResult
from tracking import mass_create_records as records
from tracking.campaign_csv import render_parts
from tracking.campaign_formats import FormatSpec, detect_format
from tracking.campaign_validate import read_campaign_csv
from tracking.csvstore import atomic_write_text
from tracking.mass_create_journal import MassCreateEntry, MassCreateState, PlannedAd


def creative_uses(csv_file: Path) -> tuple[DataFrame, FormatSpec, DataFrame]:
    """The CSV, its format, and its creative-ID columns."""
    frame = read_campaign_csv(csv_file)
    spec = detect_format(list(frame.columns))
    assert spec is not None  # validated offline
    return frame, spec, frame[list(c for c in spec.id_columns if c in frame.columns)]


def ad_name(value: object) -> str:
    """An ad name as the ads table shows it (runs of white space are one space)."""
    return " ".join(str(value).split())


def planned_ads(csv_file: Path) -> list[PlannedAd]:
    """The ads a CSV creates: names and creative IDs, in order."""
    frame, _, uses = creative_uses(csv_file)
    return [
        PlannedAd(ad_name(name), tuple(str(v).strip() for v in ids if str(v).strip()))
        for name, ids in zip(frame["Ad Name"], uses.itertuples(index=False), strict=True)
    ]


def journal_entry(
    result: JobResult,
    run_id: str,
    submitted: Path,
    names: list[str],
    pending: MassCreateEntry | None,
) -> MassCreateEntry:
    """The entry of a submission: every ad of the job so far, and the campaign's names before."""
    job = result.job
    planned = [*result.already, *planned_ads(submitted)]
    wanted = {ad.name for ad in planned}
    # A resubmission keeps the first one's baseline: it still tells old ads from new.
    before = pending.before if pending else {n: c for n, c in Counter(names).items() if n in wanted}
    return MassCreateEntry(
        records.checkpoint_key(job.campaign_id, job.csv_file),
        job.campaign_id,
        str(job.csv_file),
        run_id,
        MassCreateState.SUBMITTING,
        tuple(planned),
        before,
    )


def reconcile(result: JobResult, pending: MassCreateEntry, names: list[str]) -> list[PlannedAd]:
    """The ads of an interrupted submission still missing; notes what it had created."""
    result.already = pending.created(names)
    made = Counter(ad.name for ad in result.already)
    missing = []
    for ad in pending.ads:
        if made[ad.name] > 0:
            made[ad.name] -= 1
        else:
            missing.append(ad)
    shown = ", ".join(ad.name for ad in result.already) or "none"
    result.notes.append(
        f"run {pending.run_id} was interrupted while creating {len(pending.ads)} ad(s); "
        f"it had created {len(result.already)}: {shown}"
    )
    return missing


def remaining_csv(
    records_dir: Path, run_id: str, job: CampaignJob, missing: list[PlannedAd]
) -> Path:
    """A CSV of the job's rows for the ads still missing (in the job's order)."""
    frame, spec, _ = creative_uses(job.csv_file)
    left = Counter(ad.name for ad in missing)
    keep = []
    for name in frame["Ad Name"]:
        keep.append(left[ad_name(name)] > 0)
        left[ad_name(name)] -= 1
    path = records.cleaned_path(records_dir, run_id, job.campaign_id, job.csv_file)
    path = path.with_name(path.name.replace("_cleaned_", "_remaining_"))
    atomic_write_text(path, render_parts(frame[keep].reset_index(drop=True), spec)[0])
    return path
