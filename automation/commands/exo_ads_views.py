"""What `creative-flow exo-ads` prints: the table of ads, or JSON."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from automation.commands.common import console
from automation.uploaders.exoclick.campaigns import AdResult, AdsReport, AdStatus, checkpoint_path
from automation.wording import plural
from tracking.workspace import Workspace

_STYLE = {
    AdStatus.CREATED: "green",
    AdStatus.EXISTS: "cyan",
    AdStatus.DRY_RUN: "cyan",
    AdStatus.SKIPPED: "yellow",
    AdStatus.FAILED: "red",
}


def render(report: AdsReport, workspace: Workspace) -> None:
    campaign = report.campaign
    kind = campaign.type_name or "type unknown"
    table = Table(title=f"ExoClick campaign {campaign.id} ({campaign.name}, {kind})")
    for column in ("creative", "file id", "status", "ad id", "note"):
        table.add_column(column)
    for r in report.results:
        style = _STYLE[r.status]
        table.add_row(r.candidate.unique_id, str(r.candidate.file_id), f"[{style}]{r.status}[/]",
                      str(r.variation_id or ""), r.message)  # fmt: skip
    console.print(table)
    for left in report.left_out:
        console.print(f"[yellow]left out[/] {left.unique_id}: {left.reason}")
    counts = ", ".join(f"{report.count(s)} {s}" for s in AdStatus if report.count(s))
    console.print(f"{counts or 'nothing to do'}; checkpoint: "
                  f"{checkpoint_path(workspace, campaign.id)}")  # fmt: skip
    if not report.live:
        console.print("dry run: nothing was created; add --live to create the ads")
    elif not report.verify_problems:
        now = plural(report.ads_after or 0, "ad")
        console.print(f"verified: campaign {campaign.id} now has {now}")


def as_json(report: AdsReport) -> dict[str, Any]:
    def item(r: AdResult) -> dict[str, Any]:
        return {
            "unique_id": r.candidate.unique_id,
            "file_id": r.candidate.file_id,
            "status": str(r.status),
            "variation_id": r.variation_id,
            "message": r.message,
        }

    return {
        "run_id": report.run_id,
        "campaign": {
            "id": report.campaign.id,
            "name": report.campaign.name,
            "format": report.campaign.format,
            "campaign_type": report.campaign.type_name,
        },
        "live": report.live,
        "results": [item(r) for r in report.results],
        "left_out": [{"unique_id": x.unique_id, "reason": x.reason} for x in report.left_out],
        "ads_before": report.ads_before,
        "ads_after": report.ads_after,
        "verify_problems": report.verify_problems,
    }
