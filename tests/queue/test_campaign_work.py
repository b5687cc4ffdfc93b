"""A campaign job given back after its worker died: the run still shows the campaign once."""

from __future__ import annotations

from pathlib import Path

from automation.queue.campaign_work import _one_row_per_campaign, job_from_json, job_to_json
from automation.uploaders.trafficjunky.mass_create_jobs import CampaignJob, JobResult, JobStatus
from tracking import mass_create_records as records
from tracking.csvstore import read_rows
from tracking.workspace import Workspace

RUN = "20261201-120000"


def summary_row(campaign: str, status: str, ads: int, csv: Path) -> dict[str, object]:
    return {"campaign_id": campaign, "csv_file": str(csv), "status": status,
            "ads_created": ads, "timestamp": "2026-12-01T12:00:00"}  # fmt: skip


def test_a_second_attempt_that_finds_the_campaign_done_keeps_the_first_outcome(
    workspace: Path,
) -> None:
    ws = Workspace(workspace)
    csv = ws.campaigns_dir / "Batch001_Native.csv"
    job = CampaignJob("1000001", csv)
    other = summary_row("1000002", "success", 3, csv)
    records.append_summary(ws.records, RUN, [
        summary_row("1000001", "success", 2, csv), other,
        summary_row("1000001", "skipped", 0, csv),  # the attempt after the worker died
    ])  # fmt: skip
    records.append_invalid(ws.records, RUN, [
        {"campaign_id": "1000001", "creative_id": "1032473171", "error": "not valid"},
        {"campaign_id": "1000001", "creative_id": "1032473171", "error": "not valid"},
    ])  # fmt: skip

    shown = _one_row_per_campaign(ws, RUN, job, JobResult(job, JobStatus.SKIPPED))

    rows = read_rows(records.summary_path(ws.records, RUN), records.UPLOAD_SUMMARY)
    assert [(r["campaign_id"], r["status"]) for r in rows] == [
        ("1000001", "success"), ("1000002", "success")]  # fmt: skip
    assert (shown.status, shown.ads_created) == (JobStatus.SUCCESS, 2)
    invalid = read_rows(records.invalid_path(ws.records, RUN), records.INVALID_CREATIVES)
    assert len(invalid) == 1


def test_a_job_names_its_csv_under_the_workspace_wherever_a_worker_mounts_it(
    workspace: Path, tmp_path: Path
) -> None:
    csv = Workspace(workspace).campaigns_dir / "Batch001_Native.csv"
    data = job_to_json(Workspace(workspace), CampaignJob("1000001", csv, "Spring"))
    elsewhere = tmp_path / "mounted"
    assert data["csv_file"] == "records/campaigns/Batch001_Native.csv"
    job = job_from_json(Workspace(elsewhere), data)
    assert job == CampaignJob(
        "1000001", elsewhere / "records/campaigns/Batch001_Native.csv", "Spring"
    )
